"""Thin views: the access helper first, a form for every POST, one action, then redirect."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, DateTimeField, OuterRef, Q, Subquery
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from secretariat.accounts.http import AuthedHttpRequest
from secretariat.board import access as board_access
from secretariat.board.actions import (
    BoardError,
    do_confirm_mailed_thread,
    do_create_thread,
    do_dismiss_flags,
    do_edit_post,
    do_flag_post,
    do_hide_post,
    do_move_thread,
    do_reply,
    do_set_thread_state,
    ensure_boards,
    mark_thread_read,
    visit_board,
)
from secretariat.board.addresses import board_address
from secretariat.board.forms import (
    MoveForm,
    PassageForm,
    PostForm,
    ReasonForm,
    ThreadForm,
    ThreadStateForm,
)
from secretariat.board.models import Attachment, Flag, MailedThread, Post, ThreadRead
from secretariat.board.rendering import quote_text, render_markdown

THREADS_PER_PAGE = 50


def board_list(request: AuthedHttpRequest) -> HttpResponse:
    ensure_boards()
    boards = board_access.visible_boards(request.user).annotate(
        thread_count=Count(
            "threads", filter=board_access.anchor_q(request.user, "threads__"), distinct=True
        )
    )
    return render(
        request,
        "board/list.html",
        {
            "boards": boards,
            "moderator": board_access.moderated_boards(request.user).exists(),
        },
    )


def board_detail(request: AuthedHttpRequest, code: str) -> HttpResponse:
    board = board_access.get_board_for(request, code)
    visit = visit_board(request.user, board)
    read_at = ThreadRead.objects.filter(user=request.user, thread=OuterRef("pk")).values("read_at")[
        :1
    ]
    threads = (
        board_access.visible_threads(request.user)
        .filter(board=board)
        .select_related("created_by", "anchor")
        .annotate(read_at=Subquery(read_at, output_field=DateTimeField()))
        .order_by("-pinned", "-last_post_at", "-id")
    )
    page = Paginator(threads, THREADS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "board/board.html",
        {
            "board": board,
            "page": page,
            "since": visit.previous_at,
            "can_post": board_access.can_post_in(request.user, board),
            "address": board_address(board.code),
        },
    )


def thread_new(request: AuthedHttpRequest, code: str) -> HttpResponse:
    board = board_access.get_board_for(request, code, post=True)
    form = ThreadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        thread = do_create_thread(
            board,
            subject=form.cleaned_data["subject"],
            text=form.cleaned_data["text"],
            actor=request.user,
            attachments=[upload] if upload else [],
            request=request,
        )
        return redirect(thread)
    return render(
        request,
        "board/thread_form.html",
        {"board": board, "form": form},
        status=400 if form.errors else 200,
    )


def _thread_page(
    request: AuthedHttpRequest, pk: int, form: PostForm | None = None, status: int = 200
) -> HttpResponse:
    thread = board_access.get_thread_for(request, pk)
    board = thread.board
    moderator = board_access.can_moderate(request.user, board)
    previous = ThreadRead.objects.filter(user=request.user, thread=thread).first()
    posts = list(
        thread.posts.select_related("author", "quoted", "quoted__author", "hidden_by")
        .prefetch_related("attachments")
        .annotate(
            revision_count=Count("revisions"),
            open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)),
        )
    )
    if not moderator:
        posts = [p for p in posts if not p.is_hidden]
    for p in posts:
        p.html = render_markdown(p.text)  # type: ignore[attr-defined]
        p.unread = previous is None or p.created_at > previous.read_at  # type: ignore[attr-defined]
    if form is None:
        initial = {}
        quote_id = request.GET.get("quote", "")
        quoted = next((p for p in posts if str(p.pk) == quote_id and not p.is_hidden), None)
        if quoted is not None:
            name = quoted.author.get_full_name() or quoted.author.get_username()
            initial = {"text": quote_text(name, quoted.text), "quoted": quoted.pk}
        form = PostForm(initial=initial)
    mark_thread_read(request.user, thread)
    return render(
        request,
        "board/thread.html",
        {
            "thread": thread,
            "board": board,
            "posts": posts,
            "form": form,
            "can_reply": board_access.can_reply(request.user, thread),
            "moderator": moderator,
            "user_id": request.user.pk,
            "state_form": ThreadStateForm(
                initial={"pinned": thread.pinned, "locked": thread.locked}
            ),
            "move_form": MoveForm(boards=board_access.move_targets(request.user, thread))
            if moderator
            else None,
        },
        status=status,
    )


def thread_detail(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    return _thread_page(request, pk)


@require_POST
def thread_reply(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    thread = board_access.get_thread_for(request, pk, reply=True)
    form = PostForm(request.POST, request.FILES)
    if not form.is_valid():
        return _thread_page(request, pk, form, status=400)
    upload = form.cleaned_data.get("attachment")
    quoted = None
    if form.cleaned_data.get("quoted"):
        quoted = Post.objects.filter(pk=form.cleaned_data["quoted"], thread=thread).first()
    try:
        post = do_reply(
            thread, text=form.cleaned_data["text"], actor=request.user, quoted=quoted,
            attachments=[upload] if upload else [], request=request,
        )  # fmt: skip
    except BoardError as exc:
        raise PermissionDenied(str(exc)) from None
    return redirect(post)


def post_edit(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = board_access.get_post_for(request, pk, edit=True)
    form = PostForm(request.POST or None, initial={"text": post.text})
    if request.method == "POST" and form.is_valid():
        do_edit_post(post, text=form.cleaned_data["text"], actor=request.user, request=request)
        return redirect(post)
    return render(
        request,
        "board/post_form.html",
        {"post": post, "form": form},
        status=400 if form.errors else 200,
    )


def post_history(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = board_access.get_post_for(request, pk)
    revisions = list(post.revisions.select_related("edited_by"))
    for r in revisions:
        r.html = render_markdown(r.text)  # type: ignore[attr-defined]
    return render(request, "board/history.html", {"post": post, "revisions": revisions})


@require_POST
def post_flag(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = board_access.get_post_for(request, pk)
    if not board_access.can_post_in(request.user, post.thread.board):
        raise PermissionDenied
    form = ReasonForm(request.POST)
    if form.is_valid():
        do_flag_post(post, reason=form.cleaned_data["reason"], actor=request.user, request=request)
    return redirect(post)


@require_POST
def post_hide(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = board_access.get_post_for(request, pk, moderate=True)
    form = ReasonForm(request.POST)
    if form.is_valid():
        do_hide_post(post, reason=form.cleaned_data["reason"], actor=request.user, request=request)
    return redirect(post)


@require_POST
def post_dismiss_flags(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    post = board_access.get_post_for(request, pk, moderate=True)
    do_dismiss_flags(post, actor=request.user, request=request)
    return redirect("board:moderation")


@require_POST
def thread_state(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    thread = board_access.get_thread_for(request, pk, moderate=True)
    form = ThreadStateForm(request.POST)
    if form.is_valid():
        do_set_thread_state(thread, **form.cleaned_data, actor=request.user, request=request)
    return redirect(thread)


@require_POST
def thread_move(request: AuthedHttpRequest, pk: int) -> HttpResponse:
    thread = board_access.get_thread_for(request, pk, moderate=True)
    form = MoveForm(request.POST, boards=board_access.move_targets(request.user, thread))
    if not form.is_valid():
        raise PermissionDenied
    try:
        do_move_thread(thread, to=form.cleaned_data["to"], actor=request.user, request=request)
    except BoardError as exc:
        raise PermissionDenied(str(exc)) from None
    return redirect(thread)


def moderation_queue(request: AuthedHttpRequest) -> HttpResponse:
    boards = board_access.moderated_boards(request.user)
    if not boards.exists():
        raise Http404
    flagged = (
        Post.objects.filter(thread__board__in=boards, flags__resolved_at__isnull=True)
        .select_related("thread", "thread__board", "author")
        .annotate(open_flags=Count("flags", filter=Q(flags__resolved_at__isnull=True)))
        .order_by("created_at")
        .distinct()
    )
    hidden = (
        Post.objects.filter(thread__board__in=boards, hidden_at__isnull=False)
        .select_related("thread", "author", "hidden_by")
        .order_by("-hidden_at")[:50]
    )
    flags = Flag.objects.filter(post__in=flagged, resolved_at__isnull=True).select_related("user")
    reasons: dict[int, list[Flag]] = {}
    for f in flags:
        reasons.setdefault(f.post_id, []).append(f)
    items = [(p, reasons.get(p.pk, [])) for p in flagged]
    return render(
        request,
        "board/moderation.html",
        {"items": items, "hidden": hidden, "reason_form": ReasonForm()},
    )


def confirm_mailed_thread(request: AuthedHttpRequest, token: str) -> HttpResponse:
    pending = get_object_or_404(MailedThread.objects.select_related("board"), token=token)
    if pending.user_id != request.user.pk:
        raise Http404
    if not board_access.can_post_in(request.user, pending.board):
        raise PermissionDenied
    if request.method == "POST":
        thread = do_confirm_mailed_thread(pending, actor=request.user, request=request)
        return redirect(thread)
    return render(request, "board/confirm.html", {"pending": pending})


def passage_new(request: AuthedHttpRequest, document_id: int, number: int) -> HttpResponse:
    from secretariat.accounts import access
    from secretariat.board.passages import board_for_document, do_open_passage_thread
    from secretariat.documents.models import Document, Paragraph

    document = access.get_object_for(request, Document, pk=document_id)
    if not board_access.can_post_in(request.user, board_for_document(document)):
        raise PermissionDenied
    paragraph = get_object_or_404(Paragraph, version_id=document.current_version_id, number=number)
    form = PassageForm(request.POST or None, initial={"quote": request.GET.get("q", "")[:1000]})
    if request.method == "POST" and form.is_valid():
        try:
            thread = do_open_passage_thread(
                document,
                paragraph_number=number,
                actor=request.user,
                request=request,
                **form.cleaned_data,
            )
        except BoardError:
            form.add_error("quote", _("These words are not in the paragraph."))
        else:
            return redirect(thread)
    return render(
        request,
        "board/passage_form.html",
        {
            "back_url": f"{document.get_absolute_url()}#p{paragraph.number}",
            "back_title": document.title,
            "passage": paragraph.text,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def negotiation_passage_new(
    request: AuthedHttpRequest, negotiation_id: int, key: str
) -> HttpResponse:
    """Open a thread on words of a negotiation paragraph (the working text)."""
    from secretariat.accounts import access
    from secretariat.board.passages import (
        board_for_negotiation,
        do_open_negotiation_thread,
        negotiation_paragraphs,
    )
    from secretariat.negotiation.models import Negotiation

    negotiation = access.get_object_for(request, Negotiation, pk=negotiation_id)
    if not board_access.can_post_in(request.user, board_for_negotiation(negotiation)):
        raise PermissionDenied
    words = negotiation_paragraphs(negotiation).get(key)
    if words is None:
        raise Http404
    form = PassageForm(request.POST or None, initial={"quote": request.GET.get("q", "")[:1000]})
    if request.method == "POST" and form.is_valid():
        try:
            thread = do_open_negotiation_thread(
                negotiation, paragraph_key=key, actor=request.user, request=request,
                **form.cleaned_data,
            )  # fmt: skip
        except BoardError:
            form.add_error("quote", _("These words are not in the paragraph."))
        else:
            return redirect(thread)
    return render(
        request,
        "board/passage_form.html",
        {
            "back_url": f"{negotiation.get_absolute_url()}#para-{key}",
            "back_title": negotiation.title,
            "passage": words,
            "form": form,
        },
        status=400 if form.errors else 200,
    )


def board_search(request: AuthedHttpRequest) -> HttpResponse:
    from secretariat.board.search import search_posts

    q = request.GET.get("q", "")[:200].replace("\x00", "")
    hits, total = search_posts(request.user, q) if q.strip() else ([], 0)
    return render(request, "board/search.html", {"q": q, "hits": hits, "total": total})


def attachment_download(request: AuthedHttpRequest, pk: int) -> FileResponse:
    from django.core.files.storage import default_storage

    attachment = get_object_or_404(Attachment, pk=pk)
    board_access.get_post_for(request, attachment.post_id)  # 404 / hidden posts included
    response = FileResponse(
        default_storage.open(attachment.storage_name, "rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response

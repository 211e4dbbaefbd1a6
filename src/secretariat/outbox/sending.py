"""Sending the outbox over SMTP.

How a message travels, and why it is sent at most once in all but one narrow case:

1. Claim: a conditional UPDATE moves due rows from `queued` to `sending` with a fresh claim
   token and time (`... WHERE status='queued'`); two workers never claim the same row.
2. Render: each claimed row is rendered by its kind in the recipient's language; the renderer
   re-checks access and may cancel the message.
3. Send: one SMTP connection per batch, one message per recipient (no shared recipient list).
4. Right after the server's 250 on DATA the row is marked `sent` in its own short transaction
   (the send loop runs in autocommit), before the next message is written.

A worker killed after claiming leaves rows in `sending`; they go back to `queued` only once the
lease (settings.OUTBOX_LEASE_SECONDS) has expired, and each claim schedules a sender task for
that moment so a restarted worker picks them up. A worker killed between the server's 250 and
the UPDATE that records it (a window of one local UPDATE) would send that message a second
time; it then carries the same Message-ID, fixed at enqueue, so the receiving side can
de-duplicate it. We accept that window rather than hold a transaction open over the network.

Failures: no connection, a dropped connection or a 4xx reply put the message back in `queued`
with exponential backoff (next_attempt_at, attempts, last_error kept); a 5xx reply marks it
`failed` with the server's reason, which the secretariat sees on the outbox page and may retry.
"""

from __future__ import annotations

import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import Message
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F, Min
from django.utils import timezone, translation

from secretariat.outbox.api import get_kind, unsubscribe_url
from secretariat.outbox.models import OutboundEmail

Status = OutboundEmail.Status


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0
    requeued: int = 0  # rows a dead worker had claimed, put back after the lease


class _Claim:
    def __init__(self, rows: list[OutboundEmail], token: str) -> None:
        self.rows = rows
        self.token = token


def _now() -> datetime:
    return timezone.now()


def requeue_expired_leases(now: datetime | None = None) -> int:
    now = now or _now()
    cutoff = now - timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    return OutboundEmail.objects.filter(status=Status.SENDING, claimed_at__lt=cutoff).update(
        status=Status.QUEUED,
        claim_token="",
        next_attempt_at=now,
        last_error="the worker stopped while sending; queued again after the lease expired",
    )


def claim_batch(size: int, now: datetime | None = None) -> _Claim:
    now = now or _now()
    ids = list(
        OutboundEmail.objects.filter(status=Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")
        .values_list("pk", flat=True)[:size]
    )
    token = uuid.uuid4().hex
    if not ids:
        return _Claim([], token)
    OutboundEmail.objects.filter(pk__in=ids, status=Status.QUEUED).update(
        status=Status.SENDING, claim_token=token, claimed_at=now, attempts=F("attempts") + 1
    )
    rows = list(
        OutboundEmail.objects.filter(pk__in=ids, claim_token=token, status=Status.SENDING)
        .select_related("recipient")
        .order_by("id")
    )
    return _Claim(rows, token)


def _finish(claim: _Claim, row: OutboundEmail, **values: object) -> None:
    OutboundEmail.objects.filter(pk=row.pk, claim_token=claim.token).update(**values)


def _retry_later(claim: _Claim, row: OutboundEmail, error: str, report: SendReport) -> None:
    if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        _fail(claim, row, f"{error} (gave up after {row.attempts} attempts)", report)
        return
    delay = min(
        settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(row.attempts - 1, 0),
        settings.OUTBOX_RETRY_MAX_SECONDS,
    )
    _finish(
        claim,
        row,
        status=Status.QUEUED,
        claim_token="",
        next_attempt_at=_now() + timedelta(seconds=delay),
        last_error=error[:2000],
    )
    report.retried += 1


def _fail(claim: _Claim, row: OutboundEmail, error: str, report: SendReport) -> None:
    _finish(claim, row, status=Status.FAILED, claim_token="", last_error=error[:2000])
    report.failed += 1


def _sender_address() -> str:
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or settings.DEFAULT_FROM_EMAIL


def build_message(row: OutboundEmail) -> Message | None:
    """The MIME message for a row, rendered in the recipient's language; None cancels it."""
    kind = get_kind(row.kind)
    if kind is None:
        raise LookupError(f"no renderer registered for kind {row.kind!r}")
    user = row.recipient
    if user is None or not user.is_active:
        return None
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        rendered = kind.render(row.params, user)
        if rendered is None:
            return None
        headers = {"Message-ID": row.message_id, "Content-Language": language}
        if row.list_id:
            headers["List-Id"] = row.list_id
        if kind.unsubscribe_category and not kind.official:
            url = unsubscribe_url(user, kind.unsubscribe_category)
            headers["List-Unsubscribe"] = f"<{url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        email = EmailMultiAlternatives(
            subject=" ".join(rendered.subject.split()),
            body=rendered.text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[row.to_address],
            headers=headers,
            reply_to=[rendered.reply_to] if rendered.reply_to else None,
        )
        if rendered.html:
            email.attach_alternative(rendered.html, "text/html")
        for attachment in rendered.attachments:
            email.attach(attachment.filename, attachment.content, attachment.mimetype)
        return email.message()


def open_connection() -> smtplib.SMTP:
    domain = _sender_address().rsplit("@", 1)[-1] or "localhost"
    conn = smtplib.SMTP(
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        local_hostname=domain,
        timeout=settings.EMAIL_TIMEOUT,
    )
    try:
        if settings.EMAIL_USE_TLS:
            conn.starttls()
        if settings.EMAIL_HOST_USER:
            conn.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    except BaseException:
        conn.close()
        raise
    return conn


def _reply(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {message}".strip()


def _send_batch(claim: _Claim, report: SendReport) -> bool:
    """Send one claimed batch over one connection; False when the server could not be reached
    (the rest of the queue then waits for its backoff instead of hammering it)."""
    ready: list[tuple[OutboundEmail, bytes]] = []
    for row in claim.rows:
        try:
            message = build_message(row)
        except Exception as exc:  # a renderer's bug must not stop the other messages
            _fail(claim, row, f"could not render: {exc!r}", report)
            continue
        if message is None:
            _finish(claim, row, status=Status.CANCELLED, claim_token="")
            report.cancelled += 1
            continue
        ready.append((row, message.as_bytes(linesep="\r\n")))
    if not ready:
        return True
    try:
        conn = open_connection()
    except (OSError, smtplib.SMTPException) as exc:
        for row, _ in ready:
            _retry_later(claim, row, f"cannot reach the mail server: {exc}", report)
        return False
    sender = _sender_address()
    try:
        for index, (row, data) in enumerate(ready):
            try:
                conn.sendmail(sender, [row.to_address], data)
            except smtplib.SMTPRecipientsRefused as exc:
                code, text = next(iter(exc.recipients.values()))
                _classify(claim, row, code, _reply(code, text), report)
            except smtplib.SMTPResponseException as exc:
                _classify(claim, row, exc.smtp_code, _reply(exc.smtp_code, exc.smtp_error), report)
                if exc.smtp_code == 421:  # the server is closing the connection
                    for later, _ in ready[index + 1 :]:
                        _retry_later(claim, later, _reply(421, exc.smtp_error), report)
                    return False
            except (OSError, smtplib.SMTPException) as exc:
                # The connection broke: this and the remaining messages wait for a retry.
                for later, _ in ready[index:]:
                    _retry_later(claim, later, f"connection lost: {exc}", report)
                return False
            else:
                # The server answered 250 to DATA: record it at once, in its own transaction.
                _finish(claim, row, status=Status.SENT, sent_at=_now(), last_error="")
                report.sent += 1
    finally:
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()
    return True


def _classify(claim: _Claim, row: OutboundEmail, code: int, reply: str, r: SendReport) -> None:
    if 400 <= code < 500:
        _retry_later(claim, row, reply, r)
    else:
        _fail(claim, row, reply, r)


def send_due(now: datetime | None = None, *, batch_size: int | None = None) -> SendReport:
    """Send everything due, a batch (one SMTP connection) at a time, then make sure a sender
    task runs when the next retry or lease falls due."""
    from secretariat.outbox.scheduling import ensure_task
    from secretariat.outbox.tasks import send_due_emails

    size = batch_size or settings.OUTBOX_BATCH_SIZE
    report = SendReport()
    report.requeued = requeue_expired_leases(now)
    lease = timedelta(seconds=settings.OUTBOX_LEASE_SECONDS)
    while True:
        claim = claim_batch(size, now)
        if not claim.rows:
            break
        # Should this worker die mid-batch, a sender runs again when the lease expires.
        ensure_task(send_due_emails, at=(now or _now()) + lease + timedelta(seconds=1))
        if not _send_batch(claim, report):
            break
    upcoming = OutboundEmail.objects.filter(status=Status.QUEUED).aggregate(
        at=Min("next_attempt_at")
    )
    if upcoming["at"] is not None:
        ensure_task(send_due_emails, at=max(upcoming["at"], _now()))
    return report

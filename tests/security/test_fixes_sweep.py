"""Issue 9, part A, item 5: no input reaches a 500. Every endpoint of the URL conf is found,
its forms read from its view (the `...Form(` it builds, with their fields; a form imported
inside the view is looked up in its app's `forms` module) and the GET and POST parameters it
reads by name; each is then fuzzed by hypothesis with text holding NUL bytes, huge lengths,
bidi controls and other unicode, and numbers out of range, as three users (secretariat,
chair, a delegate). The test client raises any exception a view lets through; every endpoint
is swept and all failures are reported together.

What it covers (156 endpoints, 88 taking a POST; `COVERED` pins a sample so a broken
discovery cannot pass on nothing):
- GET on every route except the admin, static files, login, logout and language switch:
  the path's ids (1, 2, 3, 999999999) and keys, `page`, `q` and each parameter the view reads
  (the library's and the search's filters, the audit log's, the revision comparison's...);
- POST on every view that builds a form (even one without fields: approve, publish,
  withdraw...) or reads POST: home and accounts (security, sessions, 2FA, users), notices,
  the library (new document, versions, status), the archive (finder), negotiations (import,
  amendments, positions, comments, working text, revisions, decisions, silence, code map),
  notes verbales (compose, edit, enclose, incoming, templates, releases, silence
  statements), the outbox, the programme (reports, cycles, publication), the board (threads,
  replies, edits, flags, moderation, moves, passages) and meetings (meeting, agenda items,
  speakers, statements, registration, accreditation, calendar).

The demo (every app's own) is loaded with the sequences reset, so the ids in the addresses
(1, 2) name real objects of every kind. Bounded: 4 examples per endpoint for GET, 8 for POST,
times SECRETARIAT_SWEEP_SCALE (default 1); vary `--hypothesis-seed` for other inputs."""

from __future__ import annotations

import inspect
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = [pytest.mark.slow]

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "1e20",
    "9" * 30,
    "-1",
    "0",
    "NaN",
    "x" * 5000,
    "w" * 2100,
    "\u202etxet",
    "2099-13-45",
    "25:61",
    "<script>alert(1)</script>",
    "'; DROP TABLE x; --",
    "%00",
    "../../etc/passwd",
    "PP1",
    "members",
    "secretariat",
    "body",
    "1",
]
VALUES = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
SKIP = {"logout", "switch-language", "login"}  # they change the session the sweep runs in


@dataclass
class Endpoint:
    route: str
    name: str
    callback: Callable[..., Any]
    converters: dict[str, str]
    fields: dict[str, forms.Field | None] = field(default_factory=dict)
    get_params: set[str] = field(default_factory=set)
    posts: bool = False  # builds a form (even one without fields) or reads POST


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _source(fn: Callable[..., Any]) -> str:
    try:
        return inspect.getsource(inspect.unwrap(fn))
    except (OSError, TypeError):
        return ""


def endpoints() -> list[Endpoint]:
    out = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(("admin", "static")) or pattern.name in SKIP:
            continue
        converters = dict(re.findall(r"<(\w+):(\w+)>", route))
        ep = Endpoint(route, pattern.name or route, pattern.callback, converters)
        fn = inspect.unwrap(pattern.callback)
        source = _source(fn)
        for name in re.findall(r"\b(\w+Form)\(", source):
            form_class = _form_class(fn, name)
            if form_class is not None:
                ep.fields.update(form_class.base_fields)
                ep.posts = True
        for name in re.findall(r"POST\.get(?:list)?\(\s*[\"'](\w+)", source):
            ep.fields.setdefault(name, None)
        ep.posts = ep.posts or bool(ep.fields) or "require_POST" in _source(pattern.callback)
        ep.get_params = set(re.findall(r"GET\.get(?:list)?\(\s*[\"'](\w+)", source))
        if "FILTERS" in source:
            ep.get_params |= _filters(fn)
        out.append(ep)
    return out


def _form_class(fn: Callable[..., Any], name: str) -> type[forms.BaseForm] | None:
    """The form class a view builds: from its module, or (imported inside the function) from
    its app's `forms` module."""
    import importlib

    candidate = getattr(fn, "__globals__", {}).get(name)
    if candidate is None:
        app = fn.__module__.split(".views")[0]
        try:
            candidate = getattr(importlib.import_module(f"{app}.forms"), name, None)
        except ImportError:
            candidate = None
    if isinstance(candidate, type) and issubclass(candidate, forms.BaseForm):
        return candidate
    return None


def _filters(fn: Callable[..., Any]) -> set[str]:
    return set(getattr(fn, "__globals__", {}).get("FILTERS", ()))


def _field_values(f: forms.Field | None) -> st.SearchStrategy[str]:
    choices = [str(c[0]) for c in getattr(f, "choices", []) or [] if c and c[0] != ""]
    if isinstance(f, forms.ModelChoiceField | forms.ModelMultipleChoiceField):
        choices = ["1", "2"]
    return st.one_of(VALUES, st.sampled_from(choices)) if choices else VALUES


def _path(ep: Endpoint, args: dict[str, str]) -> str:
    path = "/" + ep.route
    for name, conv in ep.converters.items():
        path = re.sub(rf"<{conv}:{name}>", args[name], path)
    return path.replace("^", "").replace("$", "")


def _path_values(conv: str) -> st.SearchStrategy[str]:
    if conv == "int":
        return st.sampled_from(["1", "2", "3", "999999999"])
    return st.sampled_from(["PP1", "OP1", "PP2", "K" * 100, "x\u202e", "2"])


def _sweep(ep: Endpoint, method: str, examples: int) -> None:
    names = sorted(ep.fields) if method == "post" else sorted(ep.get_params | {"page", "q"})
    data_strategy = st.fixed_dictionaries(
        {n: _field_values(ep.fields.get(n)) for n in names}
        if method == "post"
        else {n: VALUES for n in names}
    )
    path_strategy = st.fixed_dictionaries({n: _path_values(c) for n, c in ep.converters.items()})

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(
        who=st.sampled_from(["secretariat", "chair", "ind"]),
        args=path_strategy,
        data=data_strategy,
    )
    def run(who: str, args: dict[str, str], data: dict[str, str]) -> None:
        client = CLIENTS[who]
        path = _path(ep, args)
        response = client.post(path, data) if method == "post" else client.get(path, data)
        assert response.status_code < 500, (ep.name, path, data)

    run()


CLIENTS: dict[str, Client] = {}
# Forms the sweep must reach (a discovery that lost them would pass on nothing): a sample of
# every app's, the board, meetings and programme ones included.
COVERED = {
    "documents/new/",
    "notices/new/",
    "notes/new/",
    "notes/silence/<int:pk>/statement/",
    "notes/releases/",
    "negotiations/import/",
    "board/<slug:code>/new/",
    "board/t/<int:pk>/reply/",
    "board/p/<int:pk>/edit/",
    "board/t/<int:pk>/move/",
    "meetings/new/",
    "meetings/<int:pk>/edit/",
    "meetings/<int:pk>/items/add/",
    "meetings/<int:pk>/registration/participant/",
    "programme/initiatives/<int:pk>/report/",
    "programme/initiatives/<int:pk>/cycle/",
}


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_no_input_reaches_a_500(forum, finder_index, run_tasks) -> None:
    from io import StringIO

    from secretariat.demo.load import load_demo

    load_demo(StringIO())
    run_tasks()
    for who in ("secretariat", "chair", "ind"):
        CLIENTS[who] = Client()
        CLIENTS[who].force_login(forum[who])
    found = endpoints()
    posting = [ep for ep in found if ep.posts]
    # The sweep must find what it is meant to cover (a broken discovery cannot pass).
    assert len(found) > 60 and len(posting) > 25
    assert {"text", "parent"} <= set(next(e for e in found if e.name == "comment").fields)
    covered = {ep.route for ep in posting}
    assert covered >= COVERED, COVERED - covered
    scale = int(os.environ.get("SECRETARIAT_SWEEP_SCALE", "1"))
    failures: list[str] = []
    for ep in found:
        for method, examples in (("get", 4), ("post", 8)):
            if method == "post" and not ep.posts:
                continue
            try:
                _sweep(ep, method, examples * scale)
            except Exception as exc:  # every endpoint is swept; all failures reported
                failures.append(f"{method.upper()} {ep.route}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)

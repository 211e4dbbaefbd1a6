"""Posts are Markdown rendered to sanitised HTML: raw HTML is not interpreted (markdown-it with
html off), and nh3 then keeps only a short list of tags, no event handlers, no `style`, only
http(s)/mailto links, each marked rel="nofollow noopener"."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("strikethrough")

ALLOWED_TAGS = {
    "p", "br", "em", "strong", "del", "s", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}

MENTION_RE = re.compile(r"(?<![\w@/.])@([A-Za-z][A-Za-z0-9_.-]{0,39}[A-Za-z0-9_]|[A-Za-z])")


def render_markdown(text: str) -> SafeString:
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )
    return mark_safe(clean)  # sanitised by nh3 just above


@dataclass(frozen=True)
class Mentions:
    codes: frozenset[str]  # canonical delegation codes
    usernames: frozenset[str]  # lower-case user names


def find_mentions(text: str, code_mapping: dict[str, str]) -> Mentions:
    """`@IND` (a code or alias of the register) names a delegation; any other `@name` a user.
    Mentions inside code spans or quoted lines ("> ...") do not count."""
    codes: set[str] = set()
    names: set[str] = set()
    for line in text.splitlines():
        if line.lstrip().startswith(">"):
            continue
        line = re.sub(r"`[^`]*`", " ", line)
        for word in MENTION_RE.findall(line):
            if word.upper() in code_mapping and word.upper() == word:
                codes.add(code_mapping[word.upper()])
            else:
                names.add(word.lower())
    return Mentions(frozenset(codes), frozenset(names))


def quote_text(author: str, text: str) -> str:
    """The Markdown a reply starts with when it quotes a post."""
    body = "\n".join(f"> {line}" if line else ">" for line in text.strip().splitlines())
    return f"> **{author}**:\n{body}\n\n"

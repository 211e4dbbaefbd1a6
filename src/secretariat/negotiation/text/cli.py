"""``secretariat text parse|render|compare|align|align-bench|bench``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .compare import compare, render_compare_html
from .dialects import DIALECTS
from .model import Draft
from .register import Register


class _Unreadable(Exception):
    pass


def _build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="secretariat text", description="Read, write and compare bracketed drafts."
    )
    sub = ap.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--delegations", metavar="FILE", help="register of codes (JSON)")
        p.add_argument("--dialect", choices=DIALECTS, help="default: guessed from the text")

    p = sub.add_parser("parse", help="print the structure of a draft")
    p.add_argument("file")
    p.add_argument("--json", action="store_true", help="print JSON (the default)")
    common(p)

    p = sub.add_parser("render", help="write a draft in another form")
    p.add_argument("file")
    p.add_argument(
        "--to", default="notation", help="notation|html|docx|agreed|full|delegation:CODE"
    )
    p.add_argument("-o", "--output", metavar="OUT")
    common(p)

    p = sub.add_parser("compare", help="compare two revisions")
    p.add_argument("old")
    p.add_argument("new")
    fmt = p.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="JSON (the default)")
    fmt.add_argument("--html", action="store_true")
    common(p)

    p = sub.add_parser("align", help="pair the paragraphs of two language editions")
    p.add_argument("file_a")
    p.add_argument("file_b")
    p.add_argument("--json", action="store_true", help="print JSON (the default)")
    common(p)

    p = sub.add_parser(
        "align-bench", help="time and score alignment on generated editions with a known truth"
    )
    p.add_argument("--paragraphs", type=int, default=1000)

    p = sub.add_parser("bench", help="time parse, render and compare on a generated draft")
    p.add_argument("--paragraphs", type=int, default=1000)
    return ap


def _register(args: argparse.Namespace) -> Register | None:
    if not getattr(args, "delegations", None):
        return None
    try:
        return Register.load(args.delegations)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise _Unreadable(f"cannot read register {args.delegations}: {exc}") from exc


def _load(path: str, args: argparse.Namespace) -> Draft:
    from .docx_io import read_docx
    from .parser import parse

    register = _register(args)
    try:
        if path.lower().endswith(".docx"):
            return read_docx(Path(path), register=register, dialect=args.dialect)
        text = Path(path).read_text(encoding="utf-8", errors="replace")
    except Exception as exc:  # any unreadable input is a one-line error, exit 2
        raise _Unreadable(f"cannot read {path}: {exc}") from exc
    return parse(text, register=register, dialect=args.dialect)


def _write(data: str | bytes, out: str | None) -> None:
    if out:
        if isinstance(data, bytes):
            Path(out).write_bytes(data)
        else:
            Path(out).write_text(data, encoding="utf-8")
    elif isinstance(data, bytes):
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        sys.stdout.write(data)


def _render(draft: Draft, to: str, register: Register | None) -> str | bytes:
    from . import views
    from .docx_io import write_docx
    from .render_html import render_html
    from .render_notation import render_notation

    if to == "notation":
        return render_notation(draft)
    if to == "html":
        return render_html(draft, register)
    if to == "docx":
        return write_docx(draft)
    if to == "agreed":
        return views.agreed_text(draft)
    if to == "full":
        return views.full_text(draft)
    if to.startswith("delegation:") and to.split(":", 1)[1]:
        return views.delegation_text(draft, to.split(":", 1)[1], register)
    raise ValueError(f"unknown --to {to!r}")


def main(argv: list[str] | None = None) -> int:
    ap = _build_parser()
    args = ap.parse_args(argv)
    try:
        if args.command == "parse":
            from .serialize import draft_to_json

            draft = _load(args.file, args)
            print(json.dumps(draft_to_json(draft), ensure_ascii=False, indent=1))
        elif args.command == "render":
            draft = _load(args.file, args)
            try:
                data = _render(draft, args.to, _register(args))
            except ValueError as exc:
                print(f"secretariat text: {exc}", file=sys.stderr)
                return 2
            _write(data, args.output)
        elif args.command == "compare":
            cmp = compare(_load(args.old, args), _load(args.new, args))
            if args.html:
                sys.stdout.write(render_compare_html(cmp))
            else:
                print(json.dumps(cmp.to_json(), ensure_ascii=False, indent=1))
        elif args.command == "align":
            from .align import align

            pairs = align(_load(args.file_a, args), _load(args.file_b, args))
            print(json.dumps(pairs.to_json(), ensure_ascii=False, indent=1))
        elif args.command == "align-bench":
            from .align_bench import run as run_align

            print("\n".join(run_align(max(args.paragraphs, 2)).lines()))
        elif args.command == "bench":
            from .bench import run

            print("\n".join(run(max(args.paragraphs, 1)).lines()))
    except _Unreadable as exc:
        print(f"secretariat text: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # ``... | head``: the reader left, nothing more to say
        return 0
    return 0

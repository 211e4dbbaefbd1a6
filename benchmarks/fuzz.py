"""Coverage-guided fuzzing (atheris / libFuzzer) of what reads outside input.

Targets:
  parse   the bracket-notation parser `secretariat.negotiation.text.parse` (it promises never
          to raise and to report malformed input as diagnostics; an "internal parser error"
          diagnostic is a bug it swallowed, so it counts as a crash), then `render_notation` and
          `render_html` of what it parsed.
  files   the library's file readers `secretariat.documents.files`: `sniff` (type by content)
          and `extract_text`; anything but a result or `FileRejected` is a crash.

Seeded with the real drafts in `src/secretariat/demo/corpus/` (and, for `files`, a DOCX and a
PDF made from them). A crash does not stop the run: its input is saved once per distinct
exception site under `--out/<target>/crashes/` with the traceback beside it, so one run finds
more than one bug. Needs the `fuzz` extra (`pip install -e ".[fuzz]"`).

    nice -n 19 .venv/bin/python benchmarks/fuzz.py parse --seconds 900 [--out var/fuzz]

libFuzzer prints the executions at the end ("Done N runs"); `--out/<target>/summary.txt` keeps
the executions, the corpus size and the distinct crashes, updated while it runs.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "src" / "secretariat" / "demo" / "corpus"


class Stats:
    executions = 0
    crashes: dict[str, Path] = {}
    started = time.monotonic()


def setup_django() -> None:
    os.environ.setdefault("SECRETARIAT_DATA_DIR", tempfile.mkdtemp(prefix="fuzz-data-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "secretariat.settings")
    import django

    django.setup()


def seed_texts() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*.txt") if p.is_file())


def make_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with these lines of text (as tests/documents build them)."""
    safe = [line.replace("\\", "").replace("(", "").replace(")", "") for line in lines]
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({s}) Tj T*" for s in safe) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n{obj}\nendobj\n".encode("latin-1", "replace")
    xref = len(out)
    out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def write_seeds(target: str, corpus_dir: Path) -> None:
    corpus_dir.mkdir(parents=True, exist_ok=True)
    for path in seed_texts():
        data = path.read_bytes()
        (corpus_dir / f"seed-{path.name}").write_bytes(data)
        if target == "files":
            from secretariat.negotiation.text import parse, write_docx

            text = data.decode("utf-8", "replace")
            (corpus_dir / f"seed-{path.stem}.docx").write_bytes(write_docx(parse(text)))
            ascii_lines = text.encode("ascii", "ignore").decode().splitlines()[:40]
            (corpus_dir / f"seed-{path.stem}.pdf").write_bytes(make_pdf(ascii_lines))


def check_parse(data: bytes) -> None:
    from secretariat.negotiation.text import parse, render_html, render_notation

    text = data.decode("utf-8", "replace")
    draft = parse(text)
    for d in draft.diagnostics:
        if "internal parser error" in d.message:
            raise AssertionError(d.message)
    render_notation(draft)
    render_html(draft)


def check_files(data: bytes) -> None:
    from secretariat.documents.files import FileRejected, extract_text, sniff

    try:
        kind = sniff(data).kind
        extract_text(kind, data)
    except FileRejected:
        pass


TARGETS: dict[str, Callable[[bytes], None]] = {"parse": check_parse, "files": check_files}


def crash_signature(exc: BaseException) -> str:
    """Where it broke (innermost frame of our code, else innermost) and the exception type."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "/secretariat/" in f.filename] or frames
    site = f"{ours[-1].filename}:{ours[-1].lineno}" if ours else "?"
    message = str(exc) if isinstance(exc, AssertionError) else ""
    return f"{type(exc).__qualname__} at {site} {message[:80]}"


def make_harness(
    check: Callable[[bytes], None], crash_dir: Path, on_progress: Callable[[], None]
) -> Callable[[bytes], None]:
    def one_input(data: bytes) -> None:
        Stats.executions += 1
        if Stats.executions % 500 == 0:
            on_progress()
        try:
            check(data)
        except RecursionError as exc:
            save(exc, data)
        except Exception as exc:
            save(exc, data)

    def save(exc: BaseException, data: bytes) -> None:
        signature = crash_signature(exc)
        if signature in Stats.crashes:
            return
        name = hashlib.sha256(signature.encode()).hexdigest()[:12]
        crash_dir.mkdir(parents=True, exist_ok=True)
        path = crash_dir / f"crash-{name}.bin"
        path.write_bytes(data)
        path.with_suffix(".txt").write_text(
            signature + "\n\n" + "".join(traceback.format_exception(exc))
        )
        Stats.crashes[signature] = path
        print(f"\nNEW CRASH {signature} -> {path}", file=sys.stderr, flush=True)

    return one_input


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "fuzz")
    parser.add_argument("--max-len", type=int, default=16384)
    args = parser.parse_args()

    import atheris

    # Instrument the targets and the libraries they read files with (not all of Django):
    # imported here, before Django's setup imports them uninstrumented.
    with atheris.instrument_imports(
        include=["secretariat.negotiation.text", "secretariat.documents.files", "pypdf", "docx"]
    ):
        import docx  # noqa: F401
        import pypdf  # noqa: F401

        import secretariat.documents.files
        import secretariat.negotiation.text  # noqa: F401
    setup_django()
    out = args.out / args.target
    corpus_dir = out / "corpus"
    write_seeds(args.target, corpus_dir)

    def report() -> None:
        elapsed = time.monotonic() - Stats.started
        corpus = len(list(corpus_dir.iterdir()))
        (out / "summary.txt").write_text(
            f"{Stats.executions} executions in {elapsed:.0f} s; corpus {corpus} inputs; "
            f"{len(Stats.crashes)} distinct crashes\n"
            + "".join(f"{s}\t{p}\n" for s, p in Stats.crashes.items())
        )

    # libFuzzer ends the process with _exit(), so the summary is kept up to date as it runs.
    harness = make_harness(TARGETS[args.target], out / "crashes", report)
    libfuzzer_args = [
        sys.argv[0],
        str(corpus_dir),
        f"-max_total_time={args.seconds}",
        f"-max_len={args.max_len}",
        "-timeout=30",
        "-rss_limit_mb=3000",
        f"-artifact_prefix={out}/",
        "-print_final_stats=1",
    ]
    atheris.Setup(libfuzzer_args, harness)
    atheris.Fuzz()


if __name__ == "__main__":
    main()

"""`secretariat archive import`: a line per file, idempotent by checksum, bad files skipped."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from secretariat.core.models import AuditEvent
from secretariat.documents.models import Document, Paragraph, Version

CORPUS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "demo" / "corpus"


def _import(*args: str) -> tuple[str, int]:
    out = io.StringIO()
    try:
        call_command("archive", "import", *args, stdout=out)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return out.getvalue(), code


def test_import_reports_each_file_and_is_idempotent(forum, finder_index, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (
        "asem-2002-copenhagen-declaration-terrorism.txt",
        "cica-2006-almaty-summit-declaration.txt",
    ):
        (folder / name).write_bytes((CORPUS / name).read_bytes())
    out, code = _import(str(folder), "--organization", "ASEM", "--status", "adopted")
    assert code == 0
    assert out.count("imported ") == 2 and "2 imported, 0 already there, 0 rejected." in out
    assert Document.objects.count() == 2
    paragraphs = Paragraph.objects.count()

    out, code = _import(str(folder))
    assert code == 0
    assert out.count("skipped ") == 2 and "0 imported, 2 already there" in out
    assert (Document.objects.count(), Paragraph.objects.count()) == (2, paragraphs)
    assert AuditEvent.objects.filter(action="document.create", actor_name="system").count() == 2


def test_a_bad_file_is_reported_and_skipped_never_half_imported(
    forum,
    finder_index,
    tmp_path,
) -> None:
    good = tmp_path / "good.txt"
    good.write_text("1. We welcome the accession of Thailand.\n")
    bad = tmp_path / "scan.pdf"
    bad.write_bytes(b"%PDF-1.4\n%broken beyond repair")
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(200)))
    out, code = _import(str(bad), str(binary), str(good))
    assert code == 1
    assert "rejected  " + str(bad) in out and "could not be read" in out
    assert "rejected  " + str(binary) in out and "Unsupported file type" in out
    assert "imported  " + str(good) in out
    assert list(Version.objects.values_list("filename", flat=True)) == ["good.txt"]
    assert Paragraph.objects.count() == 1


def test_options_and_the_date_found_in_the_text(forum, finder_index) -> None:
    out, _ = _import(
        str(CORPUS / "cica-2006-almaty-summit-declaration.txt"),
        "--organization",
        "CICA",
        "--status",
        "adopted",
        "--symbol",
        "CICA/S/2006",
        "--language",
        "en",
    )
    assert "(date from the text)" in out
    document = Document.objects.get()
    assert document.date == date(2006, 6, 17)
    assert (document.symbol, document.organization, document.status, document.doc_type) == (
        "CICA/S/2006",
        "CICA",
        "adopted",
        "declaration",
    )
    assert document.title.startswith("DECLARATION of the Second Summit")


def test_explicit_date_and_title_win(forum, finder_index) -> None:
    _import(
        str(CORPUS / "asem-2002-copenhagen-declaration-terrorism.txt"),
        "--date",
        "2002-09-23",
        "--title",
        "Copenhagen Declaration",
        "--status",
        "published",
    )
    document = Document.objects.get()
    assert (document.date, document.title, document.status) == (
        date(2002, 9, 23),
        "Copenhagen Declaration",
        "published",
    )


def test_the_circular_gets_its_symbol_and_languages_detected(forum, finder_index) -> None:
    _import(str(CORPUS / "cica-2022-swg-circular-drafts.txt"), "--status", "draft")
    document = Document.objects.get()
    assert document.symbol == "SWG/OI/1262"
    assert document.date == date(2022, 10, 4)
    assert document.language == "en"
    assert (document.title, document.doc_type) == ("Note verbale SWG/OI/1262", "note_verbale")


def test_bad_options_are_refused(forum) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("archive", "import", "x.txt", "--date", "17/06/2006")


def test_bench_is_the_engines(monkeypatch) -> None:
    from secretariat.archive.finder import bench

    seen = []
    monkeypatch.setattr(bench, "main", lambda argv: seen.append(list(argv)) or 0)
    from secretariat.archive.management.commands.archive import Command

    # As `secretariat archive bench ...` runs it: every argument goes to the engine untouched.
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(
            ["secretariat", "archive", "bench", "--paragraphs", "1000", "--queries", "20"]
        )
    assert exited.value.code == 0
    assert seen == [["--paragraphs", "1000", "--queries", "20"]]


def test_an_interrupted_import_continues_where_it_stopped(
    forum, finder_index, tmp_path, monkeypatch
) -> None:
    from secretariat.archive import importing

    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"1. Paragraph number {i} of the text.\n")
    real = importing.import_file
    calls = []

    def interrupted(path, options):
        calls.append(path.name)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(path, options)

    monkeypatch.setattr(importing, "import_file", interrupted)
    _out, code = _import(str(tmp_path))
    assert code == 130
    assert list(Version.objects.values_list("filename", flat=True)) == ["0.txt"]

    monkeypatch.setattr(importing, "import_file", real)
    out, code = _import(str(tmp_path))
    assert code == 0 and "2 imported, 1 already there" in out
    assert sorted(Version.objects.values_list("filename", flat=True)) == ["0.txt", "1.txt", "2.txt"]


def test_search_command_prints_json(corpus) -> None:
    import json

    out = io.StringIO()
    call_command("archive", "search", "Хатшылығы", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["total"] == 1
    assert data["hits"][0]["symbol"] == "SWG/OI/1262"
    assert data["facets"]["organization"] == [["CICA", 1]]

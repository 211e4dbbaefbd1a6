"""Archive packages: export as BagIt (valid for `bagit`), import into an emptied library (same
documents, byte-identical versions), import again adds nothing."""

from __future__ import annotations

from io import StringIO

import bagit
import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from secretariat.accounts.models import Body
from secretariat.documents import actions
from secretariat.documents.models import Document, Paragraph, Version


def _snapshot() -> dict:
    out = {}
    for d in Document.objects.select_related("body").order_by("translation_key", "language"):
        versions = []
        for v in d.versions.order_by("number"):
            with default_storage.open(v.file, "rb") as fh:
                versions.append((v.number, v.filename, v.sha256, fh.read(), v.comment))
        out[(str(d.translation_key), d.language)] = (
            d.title,
            d.symbol,
            d.status,
            d.doc_type,
            d.access_level,
            d.body.code if d.body else None,
            d.date,
            d.organization,
            versions,
            [(p.number, p.label, p.text) for p in d.current_paragraphs().order_by("number")],
        )
    return out


def test_export_then_import_into_an_empty_library(add_document, forum, tmp_path) -> None:
    first = add_document("1. First text of the declaration.\n", title="Declaration", symbol="D/1")
    actions.do_add_version(
        first,
        actions.read_upload(b"1. First text, revised.\n2. A second paragraph.\n", "d2.txt"),
        comment="revised",
        actor=forum["secretariat"],
    )
    add_document(
        "1. The members agreed on points of contact.\n",
        title="ICT conclusions",
        access_level="body",
        body=Body.objects.get(code="ICT-WG"),
        filename="ict.txt",
    )
    before = _snapshot()
    assert len(before) == 2

    out = StringIO()
    target = tmp_path / "package"
    call_command("archive", "export", str(target), stdout=out)
    assert "2 documents, 3 versions" in out.getvalue()
    bag = bagit.Bag(str(target))
    assert bag.is_valid()
    assert (target / "data" / "documents.csv").read_text().count("\n") == 4  # header + 3

    # An empty library on the other side (same register of bodies).
    Paragraph.objects.all().delete()
    Document.objects.update(current_version=None)
    Version.objects.all().delete()
    Document.objects.all().delete()

    out = StringIO()
    call_command("archive", "import-package", str(target), stdout=out)
    assert "Imported 2 documents, 3 versions," in out.getvalue()
    assert _snapshot() == before

    out = StringIO()
    call_command("archive", "import-package", str(target), stdout=out)
    assert "Imported 0 documents, 0 versions," in out.getvalue()
    assert _snapshot() == before


def test_a_tampered_package_is_refused(add_document, tmp_path) -> None:
    add_document("1. Some text.\n", title="T")
    target = tmp_path / "package"
    call_command("archive", "export", str(target), stdout=StringIO())
    victim = next((target / "data" / "files").iterdir())
    victim.write_bytes(victim.read_bytes() + b"x")
    with pytest.raises(CommandError, match="not a valid package"):
        call_command("archive", "import-package", str(target), stdout=StringIO())

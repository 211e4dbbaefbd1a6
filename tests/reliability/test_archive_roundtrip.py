"""An archive package carried to ANOTHER instance: the demo forum's site exports it, a fresh
site (its own data directory and database, the same forum register) imports it, twice; both
sides are then read by the same snapshot: same documents, versions byte-identical in storage,
the negotiations with every revision (notation), position and decision, the notes verbales
with their editions, recipients, enclosures and PDFs byte-identical."""

from __future__ import annotations

import json

import bagit
import pytest

pytestmark = pytest.mark.slow

SNAPSHOT = r"""
import hashlib, json
from django.core.files.storage import default_storage
from secretariat.documents.models import Document
from secretariat.negotiation.models import Negotiation
from secretariat.communications.models import Note

def stored(name):
    with default_storage.open(name, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()

docs = sorted(
    [str(d.translation_key), d.language, d.title, d.symbol, d.status, d.doc_type,
     d.access_level, d.body.code if d.body else None, str(d.date), d.organization,
     [[v.number, v.filename, v.sha256, stored(v.file), v.comment]
      for v in d.versions.order_by("number")],
     [[p.number, p.label, p.text] for p in d.current_paragraphs().order_by("number")]]
    for d in Document.objects.select_related("body")
)
negs = sorted(
    [n.title, n.body.code, n.created_at.isoformat(), n.state, n.chair_code, n.access_level,
     [[r.number, r.notation, r.frozen, str(r.issued_at), r.note, r.summary]
      for r in n.revisions.order_by("number")],
     sorted([p.delegation_code, p.target_key, p.stance, p.qualifier, p.created_at.isoformat(),
             str(p.withdrawn_at), p.superseded_by.created_at.isoformat() if p.superseded_by
             else None] for p in n.positions.all()),
     sorted([a.delegation_code, a.kind, a.text, a.status] for a in n.amendments.all()),
     sorted([d.kind, d.revision.number, d.body.code, d.at.isoformat(), d.note,
             sorted([s.kind, s.delegation_code, s.text] for s in d.statements.all())]
            for d in n.decisions.all())]
    for n in Negotiation.objects.select_related("body")
)
notes = sorted(
    [n.reference, n.subject, n.status, n.kind, n.series.code, str(n.issued_on),
     n.access_level, n.corrects.reference if n.corrects else None,
     stored(n.pdf_file) if n.pdf_file else None,
     sorted([e.language, e.subject, e.text] for e in n.editions.all()),
     sorted(r.delegation.code for r in n.recipients.all()),
     [[e.version.sha256, e.order] for e in n.enclosures.all()]]
    for n in Note.objects.select_related("series", "corrects")
)
print("SNAPSHOT" + json.dumps({"documents": docs, "negotiations": negs, "notes": notes},
                              sort_keys=True, default=str))
"""


def snapshot(site) -> dict:
    out = site.python(SNAPSHOT, timeout=600)
    return json.loads(out[out.index("SNAPSHOT") + len("SNAPSHOT") :])


def test_package_round_trip_into_another_instance(make_site, tmp_path) -> None:
    source = make_site("source")
    source.run("demo", "--no-serve", timeout=1200)
    # A decision too (the demo records none): a bracket-free text agreed ad ref.
    source.python(
        "from secretariat.accounts.models import Body\n"
        "from secretariat.negotiation.actions import do_import_negotiation\n"
        "from secretariat.negotiation.actions.decisions import do_record_agreed_ad_ref\n"
        "n = do_import_negotiation(title='Press statement', body=Body.objects.get(code='SWG'),"
        " text='PP1. Recalling our meeting,\\n\\nOP1. We agree.\\n', actor=None)\n"
        "do_record_agreed_ad_ref(n, actor=None, note='archived with its decision')"
    )
    before = snapshot(source)
    assert before["documents"] and before["negotiations"] and before["notes"]
    assert any(n[6] for n in before["negotiations"])  # revisions
    assert any(n[7] for n in before["negotiations"])  # positions
    assert any(n[9] for n in before["negotiations"])  # decisions
    assert any(n[8] for n in before["notes"])  # an issued note's PDF

    package = tmp_path / "package"
    out = source.run("archive", "export", str(package), timeout=1200)
    assert "negotiations" in out and "notes" in out
    assert bagit.Bag(str(package)).is_valid()
    data = package / "data"
    first = next((data / "negotiations").iterdir())
    assert (first / "rev-1.txt").exists() and (first / "rev-1.docx").read_bytes()[:2] == b"PK"

    target = make_site("target")
    target.python("from secretariat.demo.forum import load_forum; load_forum()")
    out = target.run("archive", "import-package", str(package), timeout=1200)
    assert f"Imported {len(before['documents'])} documents" in out
    after = snapshot(target)
    for key in ("documents", "negotiations", "notes"):
        assert after[key] == before[key], key

    out = target.run("archive", "import-package", str(package), timeout=1200)
    assert "Imported 0 documents, 0 versions, 0 negotiations, 0 revisions" in out
    assert "0 notes" in out
    assert snapshot(target) == before

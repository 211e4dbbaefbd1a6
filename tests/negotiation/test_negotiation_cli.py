"""The command line the acceptance checks use."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from secretariat.negotiation import engine

TEXTS = Path(__file__).resolve().parents[2] / "src/secretariat/negotiation/demo_texts"

pytestmark = pytest.mark.django_db

ASTANA = TEXTS / "astana-statement-podium.txt"


def _run(*args: str) -> dict:
    out = StringIO()
    call_command("negotiation", *args, stdout=out)
    return json.loads(out.getvalue())


def test_import_then_status_match_the_engines_counts(forum):
    created = _run("import", str(ASTANA), "--body", "SWG", "--json")
    assert created["url"] == f"/negotiations/{created['id']}/"
    assert created["podium_url"] == f"/negotiations/{created['id']}/podium/"
    status = _run("status", str(created["id"]), "--json")
    draft = engine.parse(ASTANA.read_text(encoding="utf-8"))
    text = engine.negotiable(draft)  # the two title lines are not paragraphs of text
    assert len(text) == len(draft.paragraphs) - 2
    assert status == {
        "revision": 1,
        "paragraphs": len(text),
        "agreed": sum(p.agreed for p in text),
        "open_brackets": sum(len(p.brackets) for p in draft.paragraphs),
        "objections": engine.objections(draft),
        "state": "negotiating",
    }
    assert status["objections"]["ISR"] == 3


def test_import_refuses_an_unknown_body_with_exit_code_2(forum):
    with pytest.raises(CommandError) as exc:
        call_command("negotiation", "import", str(ASTANA), "--body", "NOPE", "--json")
    assert exc.value.returncode == 2


def test_import_reads_a_docx_draft(forum, tmp_path):
    data = engine.write_docx(engine.parse(ASTANA.read_text(encoding="utf-8")))
    path = tmp_path / "astana.docx"
    path.write_bytes(data)
    created = _run("import", str(path), "--body", "SWG", "--title", "From Word", "--json")
    status = _run("status", str(created["id"]), "--json")
    assert status["open_brackets"] == 9


def test_demo_is_idempotent(forum):
    from secretariat.negotiation.demo import load_demo
    from secretariat.negotiation.models import Negotiation

    load_demo(StringIO())
    load_demo(StringIO())
    assert Negotiation.objects.filter(body__code="SWG").count() == 2

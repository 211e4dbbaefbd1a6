"""`secretariat notes issue`: the stable command line the acceptance checks use."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command


def issue(*args: str) -> dict:
    out = io.StringIO()
    call_command("notes", "issue", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def text_file(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text("forward the documents of the SWG.\n\n- Recommendations;", encoding="utf-8")
    return path


def test_issue_to_all_member_states(house_style, text_file, add_document):
    document = add_document("Recommendations of the SWG.\n\nSecond paragraph.", title="Recs")
    result = issue(
        "--to",
        "all",
        "--series",
        "SWG/OI",
        "--subject",
        "SWG documents",
        "--text-file",
        str(text_file),
        "--enclose",
        str(document.pk),
        "--language",
        "en",
        "--language",
        "ru",
        "--json",
    )
    assert result["reference"] == "SWG/OI/1262"
    assert len(result["recipients"]) == 28 and "IND" in result["recipients"]
    assert result["emails"] == 4
    assert result["url"].endswith(f"/notes/{result['id']}/")
    assert result["pdf_url"].endswith(f"/notes/{result['id']}/pdf/")
    from secretariat.communications.models import Note

    note = Note.objects.get(pk=result["id"])
    assert note.status == "issued"
    assert sorted(note.editions.values_list("language", flat=True)) == ["en", "ru"]
    assert note.enclosures.get().version == document.current_version


def test_issue_to_a_body_and_to_codes(house_style, text_file):
    body = issue(
        "--to",
        "ICT-WG",
        "--series",
        "NV",
        "--subject",
        "ICT",
        "--text-file",
        str(text_file),
        "--json",
    )
    assert body["recipients"] == ["CHN", "IRAN", "KAZ", "RUS", "THA"]
    chosen = issue(
        "--to",
        "IND,BGD",
        "--series",
        "NV",
        "--subject",
        "Bilateral",
        "--text-file",
        str(text_file),
        "--json",
    )
    assert chosen["recipients"] == ["BANGL", "IND"]  # an alias resolves to its delegation
    assert chosen["emails"] == 1


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--to", "IND,NOPE", "NOPE"),
        ("--series", "XX/YY", "unknown series"),
        ("--enclose", "999999", "unknown document"),
    ],
)
def test_errors_exit_2_with_one_line(house_style, text_file, option, value, message):
    args = {"--to": "all", "--series": "NV", "--subject": "S", "--text-file": str(text_file)}
    args[option] = value
    flat = [x for kv in args.items() for x in kv]
    with pytest.raises(CommandError) as caught:
        call_command("notes", "issue", *flat, "--json")
    assert caught.value.returncode == 2
    assert message in str(caught.value) and "\n" not in str(caught.value)
    from secretariat.communications.models import Note

    assert not Note.objects.exists()

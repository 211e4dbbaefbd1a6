"""``secretariat text ...`` through its main(argv) function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from docx import Document

from secretariat.negotiation.text.cli import main

ROOT = Path(__file__).resolve().parents[3]
CORPUS = ROOT / "src" / "secretariat" / "demo" / "corpus" / "cica-2022-swg-circular-drafts.txt"
REV1 = ROOT / "tests" / "data" / "text" / "astana-rev1.txt"
REV2 = ROOT / "tests" / "data" / "text" / "astana-rev2.txt"


def test_parse_json_acceptance_numbers(capsys):
    assert main(["parse", str(CORPUS), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    paras = data["paragraphs"]
    assert sum(len(p["brackets"]) for p in paras) == 15
    markers = sum(
        len(p["positions"]) + sum(len(b["positions"]) for b in p["brackets"]) for p in paras
    )
    assert markers == 51
    assert sum(len(p["notes"]) for p in paras) == 5
    assert [d["severity"] for d in data["diagnostics"]] == ["error"]
    assert data["diagnostics"][0]["line"] == 371


def test_parse_missing_file_exits_2_with_one_line(capsys, tmp_path):
    assert main(["parse", str(tmp_path / "nope.txt"), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.txt" in err


def test_parse_with_other_register(capsys, tmp_path):
    reg = tmp_path / "reg.json"
    reg.write_text(json.dumps({"delegations": [{"code": "FOO", "aliases": ["F"]}]}))
    draft = tmp_path / "d.txt"
    draft.write_text("PP1. Text [x] (+F) (-CHN).\n")
    assert main(["parse", str(draft), "--delegations", str(reg), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [p["delegation"] for p in data["paragraphs"][0]["brackets"][0]["positions"]] == [
        "FOO",
        "CHN",
    ]
    assert [d["severity"] for d in data["diagnostics"]] == ["warning"]  # CHN unknown there


@pytest.mark.parametrize(
    "to, expected",
    [
        ("notation", "[, promoting our interaction"),
        ("agreed", "PP4. Remaining convinced"),
        ("full", "dialogue and tolerance;"),
        ("html", 'class="nt-chip nt-oppose"'),
        ("delegation:IRN", "PP5e. The situation in the Middle East"),
    ],
)
def test_render_text_forms(capsys, to, expected):
    assert main(["render", str(REV1), "--to", to]) == 0
    assert expected in capsys.readouterr().out


def test_render_docx_to_file_and_stdout(tmp_path, capsysbinary):
    out = tmp_path / "rev1.docx"
    assert main(["render", str(REV1), "--to", "docx", "-o", str(out)]) == 0
    doc = Document(str(out))
    assert any(p.text.startswith("PP4.") for p in doc.paragraphs)
    assert main(["render", str(REV1), "--to", "docx"]) == 0
    assert capsysbinary.readouterr().out[:2] == b"PK"


def test_render_unknown_form_exits_2(capsys):
    assert main(["render", str(REV1), "--to", "pdf"]) == 2
    assert "pdf" in capsys.readouterr().err


def test_compare_json_and_html(capsys):
    assert main(["compare", str(REV1), str(REV2), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["summary"]["added"] == 1 and data["summary"]["positions_changed"] == 3
    assert main(["compare", str(REV1), str(REV2), "--html"]) == 0
    assert '<div class="nt-compare">' in capsys.readouterr().out


def test_compare_reads_docx(tmp_path, capsys):
    out = tmp_path / "rev2.docx"
    assert main(["render", str(REV2), "--to", "docx", "-o", str(out)]) == 0
    assert main(["compare", str(REV2), str(out), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {p["status"] for p in data["paragraphs"]} == {"unchanged"}


def test_bench_prints_throughput(capsys):
    assert main(["bench", "--paragraphs", "20"]) == 0
    out = capsys.readouterr().out
    assert "MB/s" in out and "compare" in out
    assert "regex tokenizer only" in out and "difflib line diff" in out


def test_module_entry_point(tmp_path):
    import os
    import subprocess

    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    cmd = [sys.executable, "-m", "secretariat.negotiation.text", "parse", str(tmp_path / "x.txt")]
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 2
    assert done.stderr.startswith("secretariat text: cannot read")

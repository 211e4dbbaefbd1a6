"""Aligning language editions: labels, Gale-Church with anchors, bracket parity (pure)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from secretariat.negotiation.text import parse
from secretariat.negotiation.text.align import (
    align,
    align_texts,
    bracket_parity,
    label_key,
    naive_alignment,
    word_diff,
)
from secretariat.negotiation.text.align_bench import accuracy, generate
from secretariat.negotiation.text.align_bench import run as run_bench
from secretariat.negotiation.text.cli import main

ROOT = Path(__file__).resolve().parents[3]
DEMO = ROOT / "src" / "secretariat" / "negotiation" / "demo_texts"
EN = DEMO / "astana-statement-podium.txt"
RU = DEMO / "astana-statement-podium.ru.txt"
CORPUS = ROOT / "src" / "secretariat" / "demo" / "corpus" / "cica-2022-swg-circular-drafts.txt"
_LABEL = re.compile(r"(?m)^(\[?)(?:PP\d+[a-z]?(?: altern)?\.|OP\d+\.|\(\d\)) ")


def _strip_labels(text: str) -> str:
    return _LABEL.sub(r"\1", text)


def test_demo_editions_every_labelled_paragraph_paired():
    en, ru = parse(EN.read_text()), parse(RU.read_text())
    assert not en.diagnostics and not ru.diagnostics
    al = align(en, ru)
    labelled = [i for i, p in enumerate(en.paragraphs) if p.label]
    assert len(labelled) == 28
    by_a = al.partner_of_a()
    for i in labelled:
        pair = by_a[i]
        assert pair.a == [i] and len(pair.b) == 1
        assert pair.a_label == pair.b_label == en.paragraphs[i].label
        assert ru.paragraphs[pair.b[0]].label == en.paragraphs[i].label
        assert pair.confidence >= 0.7
    assert not al.unpaired_a and not al.unpaired_b
    assert [(p.a, p.b) for p in al.pairs] == [([k], [k]) for k in range(len(en.paragraphs))]


def test_unlabelled_declaration_with_a_merged_paragraph():
    """The Astana Statement and its Russian edition with every label removed, and PP7 and
    PP8 merged in the Russian: lengths and anchors alone find every pair and the merge."""
    en = parse(_strip_labels(EN.read_text()))
    ru_paras = _strip_labels(RU.read_text()).split("\n\n")
    k = next(i for i, x in enumerate(ru_paras) if x.startswith("Признавая роль"))
    ru_paras[k : k + 2] = [ru_paras[k] + " " + ru_paras[k + 1]]
    ru = parse("\n\n".join(ru_paras))
    assert not any(p.label for p in en.paragraphs)
    assert len(en.paragraphs) == 32 and len(ru.paragraphs) == 31
    al = align(en, ru)
    expected = [([i], [i]) for i in range(14)] + [([14, 15], [14])]
    expected += [([i], [i - 1]) for i in range(16, 32)]
    assert [(p.a, p.b) for p in al.pairs] == expected
    # the peer, index by index, is right only up to the merge
    naive = naive_alignment(32, 31)
    assert sum((p.a, p.b) in expected for p in naive.pairs) == 14


def test_circular_note_english_russian_merge_found():
    """The real circular SWG/OI/1262 in English and Russian, two bullets merged in the
    Russian: the 2-1 pair is found, the rest paired one to one."""
    t = CORPUS.read_text(encoding="utf-8")
    en = t[t.index("The Secretariat of the Conference") : t.index("**MEMBER STATES")]
    ru = t[t.index("Секретариат Совещания по") : t.index("**ГОСУДАРСТВА-ЧЛЕНЫ")]
    ru = ru.replace("- Рекомендации СРГ;\n- Проект", "- Рекомендации СРГ; Проект")
    de, dr = parse(en), parse(ru)
    assert len(de.paragraphs) == 10 and len(dr.paragraphs) == 9
    al = align(de, dr)
    assert [(p.a, p.b) for p in al.pairs] == [([0], [0]), ([1, 2], [1])] + [
        ([i], [i - 1]) for i in range(3, 10)
    ]


def _circular_en_kk():
    t = CORPUS.read_text(encoding="utf-8")
    en = t[t.index("The Secretariat of the Conference") : t.index("**MEMBER STATES")]
    kk = t[t.index("Азиядағы өзара іс-қимыл және сенім") : t.index("**АЗИЯДАҒЫ ӨЗАРА")]
    return parse(en), parse(kk)


def test_circular_note_english_kazakh_moved_enclosure_paired():
    """The Kazakh circular puts the enclosure line before the list of documents: the pass
    for moved paragraphs pairs it across the order, and the rest stay one to one."""
    de, dk = _circular_en_kk()
    assert len(de.paragraphs) == len(dk.paragraphs) == 10
    assert "Enclosure" in de.paragraphs[7].text
    assert dk.paragraphs[1].text.startswith("Қосымша")
    al = align(de, dk)
    truth = {0: 0, 1: 2, 2: 3, 3: 4, 4: 5, 5: 6, 6: 7, 7: 1, 8: 8, 9: 9}
    assert sorted((p.a, p.b) for p in al.pairs) == sorted(([i], [j]) for i, j in truth.items())
    moved = [p for p in al.pairs if p.method == "moved"]
    assert [(p.a, p.b) for p in moved] == [([7], [1])]
    assert 0.5 <= moved[0].confidence <= 1.0
    # the pairs are listed in A's order, the moved one where its English paragraph stands
    assert [p.a for p in al.pairs] == [[i] for i in range(10)]
    _check_partition(al, 10, 10)


def test_cli_align_json_shape_with_a_moved_paragraph(capsys, tmp_path):
    de, dk = _circular_en_kk()
    a, b = tmp_path / "en.txt", tmp_path / "kk.txt"
    a.write_text("\n\n".join(p.text for p in de.paragraphs), encoding="utf-8")
    b.write_text("\n\n".join(p.text for p in dk.paragraphs), encoding="utf-8")
    assert main(["align", str(a), str(b), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert all(set(d) == {"a", "b", "a_label", "b_label", "confidence"} for d in data)
    assert {k: data[7][k] for k in ("a", "b")} == {"a": [7], "b": [1]}


def test_bench_moved_paragraphs_found():
    g = generate(300, seed=5, labelled=False, moved=0.03)
    moved_truth = {t for t in g.truth if len(t[0]) == len(t[1]) == 1}
    al = align_texts(g.a, g.b)
    _check_partition(al, len(g.a), len(g.b))
    assert any(p.method == "moved" for p in al.pairs)
    assert accuracy(al, g.truth) >= 0.95
    assert moved_truth


def test_cli_align_json_shape(capsys):
    assert main(["align", str(EN), str(RU), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data) == 32
    assert all(set(d) == {"a", "b", "a_label", "b_label", "confidence"} for d in data)
    assert data[3] == {**data[3], "a": [3], "b": [3], "a_label": "PP1", "b_label": "PP1"}
    assert all(0.0 <= d["confidence"] <= 1.0 for d in data)


def test_cli_align_unreadable_file_exits_2(capsys, tmp_path):
    assert main(["align", str(EN), str(tmp_path / "nope.txt"), "--json"]) == 2
    assert "nope.txt" in capsys.readouterr().err


def test_label_keys_meet_across_scripts():
    assert label_key("ПП1.") == label_key("PP1") == "PP1"
    assert label_key("ОП 3") == label_key("OP3.")
    assert label_key("б)") == label_key("b)")
    assert label_key("(в)") == label_key("(c)")
    assert label_key("Pillar II") == label_key("Столп II") == "pillar:II"
    assert label_key("2 bis.") == label_key("2bis")
    assert label_key("PP5e altern.") == label_key("PP5e alt")
    assert label_key("13.") == "13"


def test_cyrillic_labels_pair_with_latin_ones():
    a = ["PP1. Recalling the Almaty Act of 2002;", "PP2. Noting;", "Pillar II", "b) Trade."]
    b = ["ПП1. Ссылаясь на Алматинский акт 2002 года;", "ПП2. Отмечая;", "Столп II", "б) Торговля."]
    al = align_texts(a, b)
    assert [(p.a, p.b, p.method) for p in al.pairs] == [([i], [i], "label") for i in range(4)]


def test_parity_flags_the_missing_bracket_of_pp4():
    en, ru = parse(EN.read_text()), parse(RU.read_text())
    issues = {
        en.paragraphs[i].label: bracket_parity([en.paragraphs[i]], [ru.paragraphs[i]])
        for i in range(len(en.paragraphs))
    }
    flagged = {k: v for k, v in issues.items() if v}
    assert list(flagged) == ["PP4"]
    assert flagged["PP4"][0].to_json() == {"kind": "bracket_count", "source": 2, "edition": 1}


def test_parity_positions_and_nesting():
    src = parse("PP1. Text [a [b] (+RUS) c] (-IND) end;").paragraphs
    moved = parse("PP1. Текст [a] [b] (+RUS) c (-IND) конец;").paragraphs
    lost = parse("PP1. Текст [a [b] c] (-IND) конец;").paragraphs
    assert [i.kind for i in bracket_parity(src, moved)] == ["nesting"]
    (issue,) = bracket_parity(src, lost)
    assert issue.to_json() == {"kind": "positions", "missing": ["+RUS"], "extra": []}
    assert bracket_parity(src, src) == []


def test_word_diff():
    assert word_diff("a b c", "a x c") == [
        ("equal", "a"),
        ("delete", "b"),
        ("insert", "x"),
        ("equal", "c"),
    ]


def test_bench_beats_the_naive_peer():
    g = generate(200, seed=3, labelled=False)
    al = align_texts(g.a, g.b)
    assert accuracy(al, g.truth) >= 0.95
    assert accuracy(naive_alignment(len(g.a), len(g.b)), g.truth) < 0.5
    result = run_bench(120)
    assert result.labelled_acc >= 0.95 and result.unlabelled_acc >= 0.9
    assert result.moved_acc >= result.moved_acc_before
    assert any("peer" in line for line in result.lines())


# --- properties and fuzz -----------------------------------------------------------------

_words = st.text(alphabet="abcdefg ЖЗИКЛ 0123456789", min_size=1, max_size=200)


def _check_partition(al, n: int, m: int) -> None:
    a = [i for p in al.pairs for i in p.a]
    b = [j for p in al.pairs for j in p.b]
    assert sorted(a) == list(range(n)) and sorted(b) == list(range(m))
    # monotone: no crossing pairs, except those of the pass for moved paragraphs
    ordered = [p for p in al.pairs if p.method != "moved"]
    oa = [i for p in ordered for i in p.a]
    ob = [j for p in ordered for j in p.b]
    assert oa == sorted(oa) and ob == sorted(ob)
    for p in al.pairs:
        assert p.a or p.b
        assert len(p.a) <= 2 and len(p.b) <= 2
        assert 0.0 <= p.confidence <= 1.0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_words, min_size=0, max_size=25), st.lists(_words, min_size=0, max_size=25))
def test_alignment_is_a_monotone_partition(a, b):
    _check_partition(align_texts(a, b), len(a), len(b))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdefghij 0123", min_size=5, max_size=300), min_size=1, max_size=30)
)
def test_an_edition_aligns_with_itself_one_to_one(texts):
    texts = [t for t in texts if t.strip()] or ["x"]
    al = align_texts(texts, texts)
    assert [(p.a, p.b) for p in al.pairs] == [([i], [i]) for i in range(len(texts))]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600), st.text(max_size=600))
def test_fuzz_parse_and_align_never_raise(x, y):
    da, db = parse(x), parse(y)
    al = align(da, db)
    _check_partition(al, len(da.paragraphs), len(db.paragraphs))
    for p in al.pairs:
        bracket_parity([da.paragraphs[i] for i in p.a], [db.paragraphs[j] for j in p.b])


def test_long_unlabelled_stretch_uses_the_band():
    g = generate(700, seed=11, labelled=False)
    al = align_texts(g.a, g.b)
    _check_partition(al, len(g.a), len(g.b))
    assert accuracy(al, g.truth) >= 0.95

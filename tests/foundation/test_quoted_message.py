"""A notification's sentence is in the reader's language; the title it quotes is marked with
its own language (or as text not to translate), so screen readers and the interface sweep
tell the two apart (home/templatetags/quoting.py)."""

from __future__ import annotations

from types import SimpleNamespace

from secretariat.home.templatetags.quoting import quoted_message


def test_the_quoted_title_is_marked_and_the_sentence_escaped() -> None:
    n = SimpleNamespace(
        message="Вышла ред. 2 документа «Draft <Astana> Statement»",
        params={"number": 2, "title": "Draft <Astana> Statement"},
    )
    html = str(quoted_message(n))
    assert html == (
        "Вышла ред. 2 документа «"
        '<span translate="no" dir="auto">Draft &lt;Astana&gt; Statement</span>»'
    )


def test_a_title_with_a_known_language_carries_it() -> None:
    n = SimpleNamespace(
        message="New document: Astana Statement",
        params={"title": "Astana Statement", "language": "en"},
    )
    assert '<span lang="en" dir="auto">Astana Statement</span>' in str(quoted_message(n))


def test_a_message_without_parameters_is_only_escaped() -> None:
    n = SimpleNamespace(message="Old <text>", params={})
    assert str(quoted_message(n)) == "Old &lt;text&gt;"

"""The accessible HTML fragment."""

from __future__ import annotations

from html.parser import HTMLParser

from secretariat.negotiation.text import parse, render_html


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.depth = 0
        self.balanced = True

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.depth += 1

    def handle_endtag(self, tag):
        self.depth -= 1
        self.balanced &= self.depth >= 0


def test_html_fragment_with_chips_and_styles():
    html = render_html(parse("PP1. We *add* [text <b>] (+CHN) (-IRAN with reservation) ~~old~~."))
    assert "<html" not in html
    c = _Collect()
    c.feed(html)
    assert c.balanced and c.depth == 0
    chips = [a for t, a in c.tags if "nt-chip" in a.get("class", "")]
    assert [a["aria-label"] for a in chips] == [
        "Supported by China",
        "Opposed by Iran (with reservation)",
    ]
    assert "nt-support" in chips[0]["class"] and "nt-oppose" in chips[1]["class"]
    assert '<ins class="nt-new">add</ins>' in html
    assert '<del class="nt-deleted">old</del>' in html
    assert "&lt;b&gt;" in html  # text is escaped
    assert any("nt-bracket" in a.get("class", "") for _, a in c.tags)
    assert html.count('aria-hidden="true">[</span>') == 1


def test_corpus_html_has_every_bracket_and_marker(corpus_draft):
    html = render_html(corpus_draft)
    assert html.count('class="nt-bracket"') == 15
    assert html.count("nt-chip ") == 51
    assert html.count('class="nt-note"') == 5
    assert 'class="nt-stray"' in html
    assert 'data-alternative-of="PP5e"' in html
    assert '<h3 class="nt-heading">DRAFT ASTANA STATEMENT ON CICA TRANSFORMATION</h3>' in html


def test_labels_name_delegations_in_the_readers_language_and_mark_other_languages():
    """A Russian edition with English left in it (a label's "altern.", a qualifier, a note):
    with the edition's language and a judge of a snippet's language, those parts are marked
    with their own `lang`; the chips and notes name delegations as `names` gives them."""
    from secretariat.negotiation.text.render_html import Labels, render_paragraph_html

    def judge(text: str) -> str:
        return "ru" if any("а" <= ch <= "я" for ch in text.lower()) else "en"

    labels = Labels(
        supported_by="Поддерживает: {name}",
        note_by="Примечание: {who}",
        names={"IRAN": "Иран", "VIE": "Вьетнам"},
        language="ru",
        language_of=judge,
    )
    draft = parse(
        "PP5e altern. Мы [выражаем] (+IRAN with reservation) (+CHN с оговоркой) (VIE: keep)"
    )
    html = render_paragraph_html(draft.paragraphs[0], labels=labels)
    assert '<span class="nt-label" lang="en">PP5e altern.</span>' in html
    # An English qualifier is read from the chip, marked; a Russian one stays in the label.
    assert 'aria-label="Поддерживает: Иран">+IRAN <span class="nt-qualifier" lang="en">' in html
    assert 'aria-label="Поддерживает: China (с оговоркой)"' in html  # no Russian name given
    assert '<span class="nt-qualifier">с оговоркой</span>' in html
    assert 'aria-label="Примечание: Вьетнам">(VIE: <span lang="en">keep</span>)' in html
    # Without a language (the workspace, the English source) nothing is marked.
    plain = render_paragraph_html(draft.paragraphs[0])
    assert "lang=" not in plain and 'aria-label="Supported by Iran (with reservation)"' in plain

"""A library document's title lines are shown as a heading, not numbered paragraphs (issue 15,
item 7)."""

from __future__ import annotations

import pytest

from secretariat.documents.textnorm import title_lines


def test_a_library_documents_title_lines_are_told_from_its_paragraphs():
    paras = [
        (None, "ALMATY ACT"),
        (None, "of the Conference on Interaction and Confidence Building Measures in Asia"),
        (None, "The Heads of State or Government met in Almaty."),
        ("1.", "Short"),
    ]
    # The second line starts small: only the first is a title line.
    assert title_lines(paras) == 1
    paras[1] = (None, "Conference on Interaction and Confidence Building Measures in Asia")
    assert title_lines(paras) == 2
    assert title_lines([(None, "Only a title")]) == 0  # a text is never all title
    assert title_lines([("1.", "Background"), (None, "Text.")]) == 0


@pytest.mark.django_db
def test_the_document_page_shows_the_title_lines_as_a_heading(add_document, client_for):
    doc = add_document(
        "DRAFT ASTANA STATEMENT\n\nON CICA TRANSFORMATION\n\n"
        "We, the Heads of State or Government, met in Astana.\n\n"
        "We decide to transform the Conference.\n",
        title="Astana Statement",
    )
    body = client_for("ind").get(f"/documents/{doc.pk}/").content.decode()
    assert '<h3 class="doc-title-line" id="p1" lang="en">DRAFT ASTANA STATEMENT</h3>' in body
    assert '<h3 class="doc-title-line" id="p2" lang="en">ON CICA TRANSFORMATION</h3>' in body
    assert '<li id="p1"' not in body and '<li id="p3"' in body

"""Normalisation: spelling variants, "can not", every script."""

from __future__ import annotations

from secretariat.archive.finder import normalise_tokens


def test_british_and_american_spellings_fold_to_one_form() -> None:
    pairs = [
        ("civilisation", "civilization"),
        ("recognising", "recognizing"),
        ("favour", "favor"),
        ("favourable", "favorable"),
        ("programme", "program"),
        ("organisations", "organizations"),
        ("centre", "center"),
        ("defence", "defense"),
        ("labour", "labor"),
        ("analyse", "analyze"),
        ("travelled", "traveled"),
    ]
    for british, american in pairs:
        assert normalise_tokens(british) == normalise_tokens(american), (british, american)


def test_ize_folding_leaves_other_words_alone() -> None:
    assert normalise_tokens("size prize citizen horizon") == ["size", "prize", "citizen", "horizon"]


def test_can_not_and_cannot_are_one_token() -> None:
    assert normalise_tokens("Terrorism can not be") == ["terrorism", "cannot", "be"]
    assert normalise_tokens("terrorism cannot be") == ["terrorism", "cannot", "be"]
    assert normalise_tokens("it can't be") == ["it", "cannot", "be"]
    assert normalise_tokens("we can note") == ["we", "can", "note"]


def test_casefold_and_punctuation() -> None:
    assert normalise_tokens("We, the HEADS of State; (CICA)!") == [
        "we",
        "the",
        "heads",
        "of",
        "state",
        "cica",
    ]
    assert normalise_tokens("Straße") == ["strasse"]


def test_cyrillic_and_kazakh_words_are_tokens() -> None:
    assert normalise_tokens("Совещание по взаимодействию, ҚАЗАҚСТАН!") == [
        "совещание",
        "по",
        "взаимодействию",
        "қазақстан",
    ]
    assert normalise_tokens("әлем ғылым қала ңң өнер ұлт үй һ іс") == [
        "әлем",
        "ғылым",
        "қала",
        "ңң",
        "өнер",
        "ұлт",
        "үй",
        "һ",
        "іс",
    ]


def test_empty_and_symbol_only_text() -> None:
    assert normalise_tokens("") == []
    assert normalise_tokens(" -- ; ... __ ") == []

"""Bounds the databases enforce, for forms to check first (a larger number is a 400, never an
overflow inside the database driver)."""

MAX_ID = 2**63 - 1  # the largest value of a 64-bit key or integer column
MAX_PAGE = 100_000  # the largest page number a list accepts (an offset far inside MAX_ID)


def query_text(value: str, max_length: int | None = None) -> str:
    """A text parameter of a GET (a search, a filter) as the database can take it: without
    NUL characters (PostgreSQL refuses them in text; nothing stored holds one, so dropping
    them loses no match) and at most `max_length` characters."""
    value = value.replace("\x00", "").strip()
    return value[:max_length] if max_length is not None else value


def page_number(raw: str | None) -> int:
    """A page number parameter: 1 unless it is a number, at most MAX_PAGE (a huge one would
    overflow the query's offset)."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 9:
        return 1
    return max(1, min(int(text), MAX_PAGE))

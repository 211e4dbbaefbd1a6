"""The negotiation app's offer to the library's search and finder (through `core.providers`;
the lower apps hold no alignment engine): a library paragraph in the document's other language
editions the reader may see, paired by the aligner (`editions.aligned_in_editions`)."""

from __future__ import annotations

from typing import Any

from secretariat.negotiation.editions import aligned_in_editions


def aligned(user: Any, document_id: int, number: int) -> list[dict[str, Any]]:
    return aligned_in_editions(user, document_id, number)

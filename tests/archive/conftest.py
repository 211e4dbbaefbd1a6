"""Archive fixtures: the corpus imported through the command line."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[2] / "src" / "secretariat" / "demo" / "corpus"


@pytest.fixture
def corpus(forum, finder_index) -> dict:
    """The five corpus files imported through the command line as the issue says: the 2022
    circular as a draft, the others adopted. Returns {file name: Document}."""
    from django.core.management import call_command

    from secretariat.documents.models import Version

    files = sorted(CORPUS.glob("*.txt"))
    circular = CORPUS / "cica-2022-swg-circular-drafts.txt"
    call_command("archive", "import", str(circular), "--status", "draft", stdout=_Sink())
    call_command(
        "archive",
        "import",
        *[str(f) for f in files if f != circular],
        "--status",
        "adopted",
        stdout=_Sink(),
    )
    return {v.filename: v.document for v in Version.objects.select_related("document")}


class _Sink:
    def write(self, _text: str) -> None:
        pass

    def flush(self) -> None:
        pass

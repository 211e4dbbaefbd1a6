"""A full disk during an upload: a clear message on the form, nothing half-written, no rows.

The files storage points at a real 2 MB tmpfs (mounted here; root is needed, so the test skips
elsewhere); the kernel answers ENOSPC to the write, no Python mock involved.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from secretariat.documents.models import Document, Version

pytestmark = pytest.mark.slow


@pytest.fixture
def small_disk(tmp_path, settings) -> Iterator[Path]:
    mount = tmp_path / "files"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode()[:200]}")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "secretariat.core.storage.AtomicFileSystemStorage",
            "OPTIONS": {"location": mount},
        },
    }
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def _text(paragraphs: int) -> bytes:
    return "".join(
        f"{n}. The delegations noted paragraph {n} of the report on water management, "
        + "the shared basins, the monitoring stations and the exchange of hydrological data "
        + "between the riparian states, and asked the secretariat to circulate it.\n"
        for n in range(1, paragraphs + 1)
    ).encode()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def test_an_upload_onto_a_full_disk_says_so_and_leaves_nothing(small_disk, client_for) -> None:
    filler = small_disk / "filler"
    with open(filler, "wb") as fh:  # the disk is nearly full: 2 MB less about 100 KB
        fh.write(b"\0" * (2 * 1024 * 1024 - 100 * 1024))
    data = _text(1500)  # ~300 KB of text
    assert len(data) > 200 * 1024
    client = client_for("secretariat")
    form = {
        "title": "Water report",
        "doc_type": "report",
        "status": "adopted",
        "organization": "CICA",
        "language": "en",
        "access_level": "members",
    }
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(
        "/documents/new/", {**form, "file": SimpleUploadedFile("water.txt", data, "text/plain")}
    )
    assert answer.status_code == 400  # the form again, with the error
    assert "no room left to store this file" in answer.content.decode()
    assert not Document.objects.filter(title="Water report").exists()
    assert not Version.objects.exists()
    assert _files(small_disk) == [filler]  # no partial file, no temporary file

    filler.unlink()  # room again: the same upload is stored whole
    answer = client.post(
        "/documents/new/", {**form, "file": SimpleUploadedFile("water.txt", data, "text/plain")}
    )
    assert answer.status_code == 302
    version = Version.objects.get(document__title="Water report")
    stored = _files(small_disk)
    assert len(stored) == 1 and stored[0].read_bytes() == data
    assert stored[0].name == version.sha256

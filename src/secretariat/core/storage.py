"""File storage that never leaves a half-written file behind.

Django's FileSystemStorage writes straight into the final name: a full disk (ENOSPC), a quota
or a killed process leaves a truncated file there, and content-addressed callers would take it
for the stored bytes from then on. This storage writes to a hidden temporary file in the same
directory, fsyncs it, and links it to the final name only when complete (never replacing an
existing file); on any error the temporary file is removed and the error propagates.

Deployments without a shared disk put files on an object store instead (SECRETARIAT_STORAGE,
see settings.py): S3's PUT is atomic in the same way.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from typing import Any

from django.core.files.base import File
from django.core.files.storage import FileSystemStorage


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: File[Any]) -> str:
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        tmp = os.path.join(directory, f".{os.path.basename(full_path)}.{secrets.token_hex(6)}.part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
        try:
            try:
                if hasattr(content, "temporary_file_path"):
                    with open(content.temporary_file_path(), "rb") as src:
                        while chunk := src.read(1 << 20):
                            os.write(fd, chunk)
                else:
                    for chunk in content.chunks():
                        data = chunk.encode() if isinstance(chunk, str) else chunk
                        view = memoryview(data)
                        while view:
                            view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
            while True:
                try:
                    os.link(tmp, full_path)  # fails rather than replace an existing file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return str(name).replace("\\", "/")

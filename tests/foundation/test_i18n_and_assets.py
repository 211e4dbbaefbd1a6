"""The Russian catalogue covers the whole UI, and no page loads anything from outside."""

from __future__ import annotations

import re
from pathlib import Path

import polib

import secretariat

PACKAGE = Path(secretariat.__file__).resolve().parent


def test_every_ui_string_has_a_russian_translation() -> None:
    from secretariat.core.management.commands.compilecatalogs import catalogue_dirs

    catalogues = [d / "ru" / "LC_MESSAGES" / "django.po" for d in catalogue_dirs()]
    assert PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "django.po" in catalogues
    # every other domain too (djangojs: the JavaScript catalogue)
    js = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "djangojs.po"
    assert js.exists()
    catalogues += [
        p
        for d in catalogue_dirs()
        for p in (d / "ru" / "LC_MESSAGES").glob("*.po")
        if p not in catalogues
    ]
    for path in catalogues:
        assert path.exists(), f"{path} missing: every catalogue has a Russian edition"
        po = polib.pofile(str(path))
        untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
        assert untranslated == [], path
        assert "nplurals=3" in po.metadata["Plural-Forms"], path


EXTERNAL = re.compile(
    r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//|url\(\s*["']?(?:https?:)?//"""
)


def test_templates_and_stylesheets_reference_no_outside_asset() -> None:
    offenders = []
    for path in list(PACKAGE.rglob("templates/**/*.html")) + list(
        (PACKAGE / "static").rglob("*.css")
    ):
        text = path.read_text(encoding="utf-8")
        offenders += [f"{path.relative_to(PACKAGE)}: {m.group(0)}" for m in EXTERNAL.finditer(text)]
    assert offenders == []


def test_a_rendered_page_loads_only_local_assets(client_for) -> None:
    html = client_for("ind").get("/").content.decode()
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert assets
    assert all(a.startswith(("/", "#", "?")) for a in assets), assets

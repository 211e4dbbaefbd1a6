"""The Russian and Kazakh catalogues cover the whole UI, and no page loads anything from
outside."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

import secretariat

PACKAGE = Path(secretariat.__file__).resolve().parent


@pytest.mark.parametrize(("language", "nplurals"), [("ru", 3), ("kk", 2)])
def test_every_ui_string_has_russian_and_kazakh_translations(language, nplurals) -> None:
    from secretariat.core import catalogues
    from secretariat.core.management.commands.compilecatalogs import catalogue_dirs

    editions = [catalogues.edition_path(d, language) for d in catalogue_dirs()]
    assert catalogues.edition_path(PACKAGE / "locale", language) in editions
    # every other domain too (djangojs: the JavaScript catalogue)
    assert (PACKAGE / "locale" / language / "LC_MESSAGES" / "djangojs.po").exists()
    editions += [
        p
        for d in catalogue_dirs()
        for p in (d / language / "LC_MESSAGES").glob("*.po")
        if p not in editions
    ]
    for path in editions:
        assert path.exists(), f"{path} missing: every catalogue has a {language} edition"
        po = polib.pofile(str(path))
        untranslated = [e.msgid for e in po if not e.obsolete and not e.translated()]
        assert untranslated == [], path
        assert po.metadata.get("Language") in ("", language), path
        assert f"nplurals={nplurals};" in po.metadata["Plural-Forms"], path
    # A string any edition lists is translated in this one, with the same placeholders.
    gaps = catalogues.gaps(catalogue_dirs(), [language])
    assert [(g.problem, str(g.catalogue), g.msgid) for g in gaps] == []


def test_the_kazakh_catalogue_is_written_in_kazakh() -> None:
    """Not a copy of the Russian or the English: Kazakh's own letters (ә ғ қ ң ө ұ ү һ і)
    show in most strings, and a string equals its English only when it is a code."""
    from secretariat.core.management.commands.compilecatalogs import catalogue_dirs

    entries = [
        e
        for d in catalogue_dirs()
        for e in polib.pofile(str(d / "kk" / "LC_MESSAGES" / "django.po"))
        if not e.obsolete
    ]
    texts = [e.msgstr or " ".join(e.msgstr_plural.values()) for e in entries]
    kazakh = [t for t in texts if re.search("[әғқңөұүһіӘҒҚҢӨҰҮҺІ]", t)]
    assert len(entries) > 1700
    assert len(kazakh) / len(texts) > 0.8
    same = {e.msgid for e in entries if (e.msgstr or e.msgstr_plural.get(0)) == e.msgid}
    assert same <= {"API", "PDF", "SHA-256", "Message-ID", "%(scope)s: %(audience)s"}
    russian = {
        e.msgid: e.msgstr
        for d in catalogue_dirs()
        for e in polib.pofile(str(d / "ru" / "LC_MESSAGES" / "django.po"))
    }
    # Shared loanwords ("форум", "делегация", "Декларация") are the only equal strings.
    copied = [e.msgid for e in entries if e.msgstr and e.msgstr == russian.get(e.msgid)]
    assert len(copied) < len(entries) / 20


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

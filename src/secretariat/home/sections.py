"""The navigation: each section, and the URL name that serves it once its app has landed."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    slug: str
    title: Promise
    url_name: str  # the view of the app that builds this section
    summary: Promise


SECTIONS = [
    Section("dashboard", _("Dashboard"), "dashboard", _("What is new for you.")),
    Section(
        "documents",
        _("Documents"),
        "documents:list",
        _("The library: every document of the forum with its versions and language editions."),
    ),
    Section(
        "negotiations",
        _("Negotiations"),
        "negotiation:list",
        _("Texts under negotiation: amendments, positions, revisions, podium view."),
    ),
    Section(
        "meetings",
        _("Meetings"),
        "meetings:list",
        _("Meetings with their agendas, participants and documents."),
    ),
    Section(
        "notices",
        _("Notices"),
        "notices:list",
        _("Announcements and reminders for all members, a body or the secretariat."),
    ),
    Section(
        "notes",
        _("Notes"),
        "communications:register",
        _("Notes verbales, circulars and press releases with their reference register."),
    ),
    Section(
        "programme",
        _("Programme"),
        "programme:overview",
        _("The work programme, initiatives and their reports, mandates and the Chairmanship."),
    ),
    Section(
        "board", _("Board"), "board:list", _("The discussion board for the exchange of opinions.")
    ),
    Section(
        "archive",
        _("Archive"),
        "archive:search",
        _("Search across the archive and the agreed-language finder."),
    ),
]


def section_url(section: Section) -> tuple[str, bool]:
    """(url, built): the section's own page, or its 'not built yet' page."""
    try:
        return reverse(section.url_name), True
    except NoReverseMatch:
        return reverse("section", args=[section.slug]), False


def find(slug: str) -> Section | None:
    return next((s for s in SECTIONS if s.slug == slug), None)

"""Reporting reminders by email, through the outbox; rendered in the reader's language."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import formats
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from secretariat.accounts.access import can_view
from secretariat.accounts.models import User
from secretariat.outbox.api import RenderedEmail, absolute_url, register_kind

KIND = "programme.report_reminder"


def render_reminder(params: dict[str, Any], user: User) -> RenderedEmail | None:
    from secretariat.programme.models import Initiative, ReminderKind

    pk = params.get("initiative")
    initiative = Initiative.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    due = parse_date(str(params.get("due_on", "")))
    if initiative is None or due is None or not can_view(user, initiative):
        return None
    values = {"title": initiative.title, "due": formats.date_format(due, "DATE_FORMAT")}
    if params.get("kind") == ReminderKind.OVERDUE:
        subject = _("Overdue report: %(title)s (due %(due)s)") % values
        lead = _("The report on %(title)s was due on %(due)s and has not arrived.") % values
    else:
        subject = _("Report due: %(title)s on %(due)s") % values
        lead = _("The report on %(title)s is due on %(due)s.") % values
    link = absolute_url(reverse("programme:initiative", args=[initiative.pk]))
    upload_here = _("Upload the report here:")
    text = f"{lead}\n\n{upload_here} {link}\n"
    return RenderedEmail(subject=subject, text=text, html="")


def register() -> None:
    register_kind(KIND, render_reminder, official=True)

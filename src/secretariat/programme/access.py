"""Who may see and do what in the programme, on top of `accounts.access`.

Initiatives, reports and mandates carry access levels; lists, counts and feeds go through the
same rule as a query (`visible_*`), so a restricted report never shows up for an outsider."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest

from secretariat.accounts import access as policy
from secretariat.accounts.models import AccessLevel
from secretariat.programme.models import Initiative, Mandate, Publication, Report


def visible_initiatives(user: Any) -> QuerySet[Initiative]:
    return policy.visible(user, Initiative.objects.select_related("area", "body"))


def visible_reports(user: Any) -> QuerySet[Report]:
    """Reports the user may see, on initiatives the user may see."""
    qs = policy.visible(user, Report.objects.select_related("initiative", "document"))
    return qs.filter(policy.visible_q(user, "initiative__"))


def visible_mandates(user: Any) -> QuerySet[Mandate]:
    return policy.visible(user, Mandate.objects.select_related("assignee_delegation", "body"))


def published_results() -> QuerySet[Report]:
    """The public portal: results the secretariat approved for publication (no login)."""
    return (
        Report.objects.filter(
            publication=Publication.PUBLISHED, initiative__access_level=AccessLevel.PUBLIC
        )
        .select_related("initiative")
        .order_by("-published_at")
    )


def is_lead(user: Any, initiative: Initiative) -> bool:
    """A user of a lead or co-lead delegation still in the initiative."""
    delegation_id = getattr(user, "delegation_id", None)
    if not isinstance(delegation_id, int):
        return False
    return initiative.participations.filter(
        delegation_id=delegation_id, left_on__isnull=True, role__in=["lead", "co_lead"]
    ).exists()


def can_manage(user: Any) -> bool:
    """Set cycles, publish results, record mandates, guidance and handovers: the secretariat."""
    return policy.is_secretariat(user)


def can_report(user: Any, initiative: Initiative) -> bool:
    return policy.can_view(user, initiative) and (
        policy.is_secretariat(user) or (policy.can_contribute(user) and is_lead(user, initiative))
    )


def can_propose_publication(user: Any, report: Report) -> bool:
    return can_report(user, report.initiative) and report.publication == Publication.INTERNAL


def get_initiative_for(request: HttpRequest, pk: Any, *, report: bool = False) -> Initiative:
    """404 for outsiders; 403 for those who see it but may not report on it."""
    initiative = policy.get_object_for(request, visible_initiatives(request.user), pk=pk)
    if report and not can_report(request.user, initiative):
        raise PermissionDenied
    return initiative


def get_report_for(request: HttpRequest, pk: Any) -> Report:
    return policy.get_object_for(request, visible_reports(request.user), pk=pk)


def require_manager(request: HttpRequest) -> None:
    if not can_manage(request.user):
        raise PermissionDenied

"""The work programme, the initiatives register, mandates and term-bound roles.

Versions of the work programme are append-only: a new adoption adds a `ProgrammeVersion` and
moves the programme's `current` pointer. Reminders are rows with a unique key per initiative,
cycle and kind, so a reminder pass run twice (or by two workers) sends once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from secretariat.accounts.models import Body, Delegation, Forum, RestrictedContent


class ForumWording(models.Model):
    """The forum's own words for the roles in an initiative (CICA: "coordinator" of a CBM)."""

    forum = models.OneToOneField(Forum, on_delete=models.CASCADE, related_name="+")
    lead = models.CharField(_("word for the lead country"), max_length=60)
    co_lead = models.CharField(_("word for a co-lead"), max_length=60)
    cosponsor = models.CharField(_("word for a co-sponsor"), max_length=60)
    initiative = models.CharField(_("word for an initiative"), max_length=60)

    def __str__(self) -> str:
        return f"{self.forum}: {self.lead}"


class WorkProgramme(models.Model):
    title = models.CharField(_("title"), max_length=300)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    current = models.ForeignKey(
        "ProgrammeVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="programme_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProgrammeVersion(models.Model):
    """One adopted text of the programme; never changed once written."""

    programme = models.ForeignKey(WorkProgramme, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    adopted_by = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    adopted_on = models.DateField(_("adopted on"))
    # The negotiation's Decision, when the programme was negotiated in the product.
    decision = models.ForeignKey(
        "negotiation.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programme_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.programme} v{self.number}"


class Area(models.Model):
    """A priority area (CICA dimension, ASEM pillar) or a cluster inside one (`parent`)."""

    version = models.ForeignKey(ProgrammeVersion, on_delete=models.PROTECT, related_name="areas")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="clusters"
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("title"), max_length=300)
    activities = models.TextField(_("activities"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["version", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="programme_area_code_unique")
        ]

    def __str__(self) -> str:
        return self.title


class InitiativeStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    ENDORSED = "endorsed", _("endorsed")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")


class Initiative(RestrictedContent):
    title = models.CharField(_("title"), max_length=300)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="initiatives"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InitiativeStatus.choices,
        default=InitiativeStatus.PROPOSED,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(RestrictedContent.Meta):
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ParticipantRole(models.TextChoices):
    LEAD = "lead", _("lead")
    CO_LEAD = "co_lead", _("co-lead")
    COSPONSOR = "cosponsor", _("co-sponsor")


class Participation(models.Model):
    """A delegation joining (and perhaps leaving) an initiative in a role; rows are kept."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="participations"
    )
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=16, choices=ParticipantRole.choices)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["initiative", "role", "joined_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="participation_left_after_joined",
            ),
            models.UniqueConstraint(
                fields=["initiative", "delegation"],
                condition=Q(left_on__isnull=True),
                name="participation_one_open_per_delegation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegation.code} {self.role}"


class Milestone(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=300)
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on"]

    def __str__(self) -> str:
        return self.title


class ReportingCycle(models.Model):
    """Reports due every `every_months` months from `start_on`; reminders `remind_days` before."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="reporting_cycle"
    )
    start_on = models.DateField(_("first report due on"))
    every_months = models.PositiveSmallIntegerField(_("every (months)"), default=6)
    remind_days = models.PositiveSmallIntegerField(_("remind (days before)"), default=14)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(every_months__gte=1, every_months__lte=60),
                name="reporting_cycle_months_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.every_months}"


class ReminderKind(models.TextChoices):
    BEFORE = "before", _("before the due date")
    OVERDUE = "overdue", _("overdue")


class Reminder(models.Model):
    """One reminder sent for one cycle of one initiative (the unique key: never twice)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reminders")
    cycle = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=ReminderKind.choices)
    due_on = models.DateField()
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "cycle", "kind"], name="reminder_once_per_cycle_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.initiative_id}/{self.cycle}/{self.kind}"


class Publication(models.TextChoices):
    INTERNAL = "internal", _("internal")
    PROPOSED = "proposed", _("proposed for publication")
    PUBLISHED = "published", _("published")


class Report(RestrictedContent):
    """A report on an initiative for one cycle; the file is a library document."""

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="reports")
    cycle = models.PositiveIntegerField()
    document = models.ForeignKey("documents.Document", on_delete=models.PROTECT, related_name="+")
    results = models.TextField(_("results"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField()
    publication = models.CharField(
        max_length=16, choices=Publication.choices, default=Publication.INTERNAL
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta(RestrictedContent.Meta):
        ordering = ["-submitted_at"]

    def __str__(self) -> str:
        return f"{self.initiative} #{self.cycle}"


class Assignee(models.TextChoices):
    BODY = "body", _("a body")
    CHAIRMANSHIP = "chairmanship", _("the Chairmanship")
    COORDINATOR = "coordinator", _("a coordinator")
    LEAD_COUNTRY = "lead_country", _("a lead country")
    SECRETARIAT = "secretariat", _("the secretariat")


class MandateStatus(models.TextChoices):
    OPEN = "open", _("open")
    REPORTED = "reported", _("report received")
    CLOSED = "closed", _("closed")


class Mandate(RestrictedContent):
    """A task given by a decision, due by a date or by the next meeting of a body. Its access
    follows the deciding body's (`body`, usually the giving body, members by default)."""

    task = models.TextField(_("task"))
    decision = models.ForeignKey(
        "negotiation.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    given_by = models.ForeignKey(Body, on_delete=models.PROTECT, related_name="+")
    given_on = models.DateField(_("given on"))
    assignee = models.CharField(_("tasked"), max_length=16, choices=Assignee.choices)
    assignee_body = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee_delegation = models.ForeignKey(
        Delegation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # "By its next meeting": resolved at read time against the meetings of this body.
    due_meeting_of = models.ForeignKey(
        Body, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=16, choices=MandateStatus.choices, default="open")
    report = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(null=True, blank=True)
    # The task of a meeting decision this mandate tracks (one mandate per task).
    tasking = models.OneToOneField(
        "meetings.Tasking", null=True, blank=True, on_delete=models.PROTECT, related_name="mandate"
    )

    class Meta(RestrictedContent.Meta):
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__isnull=False) | Q(due_meeting_of__isnull=False),
                name="mandate_has_a_due",
            )
        ]

    def __str__(self) -> str:
        return self.task[:80]


class Guidance(models.Model):
    """Guidance given on a mandate or an initiative report at a review (append-only)."""

    mandate = models.ForeignKey(
        Mandate, null=True, blank=True, on_delete=models.CASCADE, related_name="guidance"
    )
    report = models.ForeignKey(
        Report, null=True, blank=True, on_delete=models.CASCADE, related_name="guidance"
    )
    agenda_item_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.TextField(_("guidance"))
    given_at = models.DateTimeField()
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["given_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(mandate__isnull=False) | Q(report__isnull=False),
                name="guidance_has_a_subject",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


class TermRole(models.TextChoices):
    CHAIRMANSHIP = "chairmanship", _("Chairmanship")
    COORDINATOR = "coordinator", _("Coordinator")


class Term(models.Model):
    """A delegation holding the chairmanship or a coordinator's seat, from `started_at` until a
    recorded handover (`ended_at`); `planned_end` only reminds. `holders` are the users who act
    for it: chair rights follow them from `started_at`."""

    role = models.CharField(max_length=16, choices=TermRole.choices)
    delegation = models.ForeignKey(Delegation, on_delete=models.PROTECT, related_name="+")
    holders = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", blank=True)
    started_at = models.DateTimeField(_("from"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    ended_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    elected_by = models.CharField(_("elected by"), max_length=300, blank=True)
    previous = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="next"
    )
    # A coordinator's term that the forum register's seat describes (`register_terms`): it
    # follows the seat at every load and goes with it.
    seat = models.OneToOneField(
        "accounts.CoordinatorSeat",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="term",
        verbose_name=_("coordinator's seat"),
    )

    class Meta:
        ordering = ["role", "-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=Q(ended_at__isnull=True, role="chairmanship"),
                name="term_one_open_chairmanship",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.role}: {self.delegation.code}"

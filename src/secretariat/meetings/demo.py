"""The demo's meetings: the SWG meeting of 28-29 September and 4 October 2022 (held), with its
agenda, the circular's documents per item, participants from several delegations, final
minutes on three items and its recommendations to the SOC as a decision with two mandates; and an
upcoming SOC meeting with a provisional agenda and open registration. Idempotent: a meeting
already there (by title) is left as it is."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TextIO
from zoneinfo import ZoneInfo

from django.utils import timezone

from secretariat.accounts.models import AccessLevel, Body, Delegation, User
from secretariat.documents.models import Document
from secretariat.meetings import actions, minutes
from secretariat.meetings.models import (
    AgendaEdition,
    AgendaItem,
    ItemDocument,
    Meeting,
    SummaryRecord,
    Tasking,
)
from secretariat.negotiation.models import Negotiation

ALMATY = ZoneInfo("Asia/Almaty")
SWG_TITLE = "Meeting of the CICA Special Working Group"
SOC_TITLE = "Meeting of the CICA Senior Officials Committee"

SWG_ITEMS = [
    # title, kind, negotiation title (linked when the negotiation demo has it)
    ("Opening of the meeting", AgendaItem.Kind.REGULAR, None),
    ("Adoption of the agenda", AgendaItem.Kind.ADOPTION, None),
    (
        "Draft CICA Leaders' Statement on Cooperation in the Field of Security of and in the "
        "Use of ICTs",
        AgendaItem.Kind.REGULAR,
        None,
    ),
    ("Draft Concept Paper on Human Dimension", AgendaItem.Kind.REGULAR, None),
    (
        "Draft Astana Statement on CICA Transformation",
        AgendaItem.Kind.REGULAR,
        "Draft Astana Statement on CICA Transformation",
    ),
    (
        "Draft CICA Plan of Action on the Implementation of the United Nations Global "
        "Counter-Terrorism Strategy",
        AgendaItem.Kind.REGULAR,
        "Draft CICA Plan of Action on the Implementation of the UN Global Counter-Terrorism "
        "Strategy",
    ),
    (
        'Draft Concept Paper and Plan of Implementation of the CICA CBMs "Security of and in '
        'the use of ICTs" for 2022-2023',
        AgendaItem.Kind.REGULAR,
        None,
    ),
    ("Recommendations of the SWG to the Senior Officials Committee", AgendaItem.Kind.REGULAR, None),
    ("Any other business", AgendaItem.Kind.REGULAR, None),
]

SWG_PARTICIPANTS = [
    # delegation, honorific, name, function, rank, head
    ("CHAIR", "H.E. Mr", "Yerlan Chairmanship", "Chairman of the SWG", 1, True),
    ("IND", "Ms", "Priya Raman", "Joint Secretary, Ministry of External Affairs", 1, True),
    ("IND", "Mr", "Arjun Mehta", "First Secretary, Embassy in Astana", 2, False),
    ("CHN", "Mr", "Li Wei", "Counsellor, Ministry of Foreign Affairs", 1, True),
    ("RUS", "Mr", "Ivan Petrov", "Senior Counsellor, Ministry of Foreign Affairs", 1, True),
    ("RUS", "Ms", "Anna Sokolova", "Second Secretary, Embassy in Astana", 3, False),
    ("ISR", "Ms", "Noa Levi", "Deputy Head of Mission", 1, True),
    ("THA", "Mr", "Somchai Boonmee", "Minister Counsellor", 1, True),
    ("AZE", "Mr", "Elvin Aliyev", "Ambassador", 1, True),
    ("VIE", "Ms", "Nguyen Thi Lan", "Counsellor", 1, True),
]


def _local(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=ALMATY)


def load_demo(stdout: TextIO) -> None:
    secretariat = User.objects.filter(username="secretariat").first()
    swg = Body.objects.filter(code="SWG").first()
    soc = Body.objects.filter(code="SOC").first()
    if swg is not None and not Meeting.objects.filter(title=SWG_TITLE).exists():
        meeting = _swg_meeting(swg, secretariat)
        stdout.write(f"  meetings: {meeting.title} (held) {meeting.get_absolute_url()}\n")
    if soc is not None and not Meeting.objects.filter(title=SOC_TITLE).exists():
        meeting = _soc_meeting(soc, secretariat)
        stdout.write(f"  meetings: {meeting.title} (registration open)\n")


def _swg_meeting(body: Body, actor: User | None) -> Meeting:
    meeting = actions.do_create_meeting(
        actions.MeetingFields(
            title=SWG_TITLE,
            body=body,
            access_level=AccessLevel.BODY,
            starts_at=_local(date(2022, 9, 28), 10),
            ends_at=_local(date(2022, 10, 4), 18),
            time_zone="Asia/Almaty",
            venue="CICA Secretariat, Astana (28-29 September) and online (4 October)",
            registration_deadline=_local(date(2022, 9, 23), 18),
            precedence="lot",
            lot_start=Delegation.objects.filter(code="IND").first(),
        ),
        actor=actor,
    )
    circular = Document.objects.filter(symbol="SWG/OI/1262").first()
    for title, kind, negotiation_title in SWG_ITEMS:
        item = actions.do_add_item(meeting, title=title, kind=kind, actor=actor)
        if circular is not None and title.startswith(("Draft", "Recommendations")):
            actions.do_attach_document(item, circular, ItemDocument.Status.OFFICIAL, actor=actor)
        negotiation = (
            Negotiation.objects.filter(title=negotiation_title).first()
            if negotiation_title
            else None
        )
        if negotiation is not None:
            actions.do_link_negotiation(item, negotiation, actor=actor)
    actions.do_publish_agenda(meeting, AgendaEdition.Kind.PROVISIONAL, actor=actor)
    actions.do_publish_agenda(meeting, AgendaEdition.Kind.ADOPTED, actor=actor)
    for code, honorific, name, function, rank, head in SWG_PARTICIPANTS:
        delegation = Delegation.objects.filter(code=code).first()
        if delegation is None:
            continue
        actions.do_register_participant(
            meeting,
            delegation,
            actions.ParticipantFields(
                name=name,
                honorific=honorific,
                function=function,
                rank=rank,
                is_head=head,
                arrives_on=date(2022, 9, 27),
                departs_on=date(2022, 10, 4),
            ),
            actor=actor,
        )
    actions.do_register_participant(
        meeting,
        None,
        actions.ParticipantFields(name="Aigerim Seitkali", honorific="Ms", function="Secretariat"),
        actor=actor,
    )
    _minutes_and_outcome(meeting, actor)
    actions.do_set_meeting_status(meeting, Meeting.Status.HELD, actor=actor)
    return meeting


SWG_RECORDS = {
    "Opening of the meeting": (
        "The Chairman of the SWG opened the meeting and welcomed the delegations. The Executive "
        "Director of the CICA Secretariat informed the meeting of the preparations for the Sixth "
        "CICA Summit in Astana."
    ),
    "Draft Astana Statement on CICA Transformation": (
        "The SWG continued the consideration of the draft Astana Statement on CICA "
        "Transformation on the basis of the podium version. Several delegations proposed "
        "amendments to the preambular paragraphs; the text was agreed ad referendum except the "
        "paragraphs remaining in brackets, which were forwarded to the Senior Officials "
        "Committee."
    ),
    "Recommendations of the SWG to the Senior Officials Committee": (
        "The SWG agreed to recommend to the Senior Officials Committee the draft documents as "
        "they stand, with the bracketed paragraphs for its further consideration."
    ),
}


def _minutes_and_outcome(meeting: Meeting, actor: User | None) -> None:
    """Final summary records on three items, the SWG's recommendations as its decision (the
    circular forwarding the outcome linked), one mandate typed in and one found in its words."""
    for title, text in SWG_RECORDS.items():
        item = meeting.items.filter(title=title).first()
        if item is None:
            continue
        minutes.do_save_record(item, text, actor=actor)
        minutes.do_finalise_record(SummaryRecord.objects.get(item=item), actor=actor)
    item = meeting.items.filter(title__startswith="Recommendations of the SWG").first()
    soc = Body.objects.filter(code="SOC").first()
    circular = Document.objects.filter(symbol="SWG/OI/1262").first()
    decision = minutes.do_record_decision(
        meeting,
        item=item,
        title="Recommendations to the Senior Officials Committee",
        text=(
            "The SWG forwards the draft documents to the Senior Officials Committee and requests "
            "the Chairmanship to prepare a road map for the transformation of CICA into a "
            "full-fledged international organization by the next meeting of the Senior Officials "
            "Committee."
        ),
        decided_on=date(2022, 10, 4),
        outcome_documents=[circular] if circular is not None else [],
        taskings=[
            minutes.TaskingFields(
                assignee="lead_country",
                task=(
                    "Submit a progress report on the implementation of the CBMs in the field of "
                    "security of and in the use of ICTs"
                ),
                due_meeting_of=soc,
            )
        ]
        if soc is not None
        else [],
        actor=actor,
    )
    for tasking in decision.taskings.filter(status=Tasking.Status.PROPOSED):
        minutes.do_confirm_tasking(tasking, actor=actor)


def _soc_meeting(body: Body, actor: User | None) -> Meeting:
    day = timezone.localdate() + timedelta(days=45)
    meeting = actions.do_create_meeting(
        actions.MeetingFields(
            title=SOC_TITLE,
            body=body,
            access_level=AccessLevel.BODY,
            starts_at=_local(day, 10),
            ends_at=_local(day + timedelta(days=1), 18),
            time_zone="Asia/Almaty",
            venue="Astana",
            registration_deadline=_local(day - timedelta(days=14), 18),
            precedence="alphabet",
            host=Delegation.objects.filter(code="KAZ").first(),
        ),
        actor=actor,
    )
    for title, kind in [
        ("Opening of the meeting", AgendaItem.Kind.REGULAR),
        ("Adoption of the agenda", AgendaItem.Kind.ADOPTION),
        ("Recommendations of the Special Working Group", AgendaItem.Kind.REGULAR),
        ("Senior Officials' review of mandates and reports", AgendaItem.Kind.REVIEW),
        ("Date and venue of the next meeting", AgendaItem.Kind.REGULAR),
    ]:
        actions.do_add_item(meeting, title=title, kind=kind, actor=actor)
    actions.do_publish_agenda(meeting, AgendaEdition.Kind.PROVISIONAL, actor=actor)
    return meeting

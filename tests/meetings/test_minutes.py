"""Minutes and outcome (issue 13, item 5): summary records per item with kept versions,
circulated to the participants for comments until a deadline, then final; the decisions taken
(the adoption of the agenda among them) with adopted texts and outcome documents; a decision
that tasks someone becomes a mandate that shows on the next Senior Officials' review and
follows its report; the meeting page shows what a held meeting produced."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from secretariat.accounts.models import Body
from secretariat.core.models import AuditEvent
from secretariat.meetings import actions, minutes
from secretariat.meetings.models import MeetingDecision, SummaryRecord, Tasking
from secretariat.meetings.taskings import find_tasks, operative_paragraphs

pytestmark = pytest.mark.django_db

ALMATY = ZoneInfo("Asia/Almaty")
ADOPTABLE = """DRAFT DECISION ON THE ROAD MAP

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

OP1. Requests the Chairmanship to prepare a road map for the transformation of CICA by the next meeting of the Senior Officials Committee;

OP2. Decides to meet again.
"""  # noqa: E501


def register(client, meeting, name: str) -> None:
    client.post(f"{meeting.get_absolute_url()}registration/participant/", {"name": name, "rank": 1})


def item_of(meeting, title: str):
    return meeting.items.get(title=title)


# --- summary records ---------------------------------------------------------------------------
def test_summary_record_drafted_circulated_commented_and_final(swg_meeting, forum, client_for):
    item = item_of(swg_meeting, "Draft Astana Statement")
    url = item.get_absolute_url()
    officer = client_for("secretariat")
    officer.post(f"{url}record/", {"record-text": "The SWG heard the Chair. FIRSTDRAFT"})
    officer.post(f"{url}record/", {"record-text": "The SWG welcomed the text. SECONDDRAFT"})
    record = SummaryRecord.objects.get(item=item)
    assert [v.number for v in record.versions.all()] == [1, 2]
    assert record.versions.get(number=1).text.endswith("FIRSTDRAFT")  # versions are kept

    rus, chn, ind = client_for("rus"), client_for("chn"), client_for("ind")
    register(rus, swg_meeting, "Ivan Petrov")
    register(chn, swg_meeting, "Li Wei")
    # A draft is the secretariat's alone.
    assert "SECONDDRAFT" not in rus.get(url).content.decode()
    assert "SECONDDRAFT" in officer.get(url).content.decode()

    due = (timezone.now() + timedelta(days=3)).astimezone(ALMATY).strftime("%Y-%m-%dT%H:%M")
    officer.post(f"{url}record/circulate/", {"circulate-comments_due": due})
    record.refresh_from_db()
    assert record.status == "circulated" and record.comments_due > timezone.now()
    page = rus.get(url).content.decode()
    assert "SECONDDRAFT" in page and 'id="record-comment-form"' in page
    # The participating delegations are told; India, with nobody registered, is not.
    from secretariat.notifications.models import Notification

    told = set(
        Notification.objects.filter(kind="meetings.minutes_circulated").values_list(
            "user__username", flat=True
        )
    )
    assert {"rus", "chn"} <= told and "ind" not in told
    # India registered nobody: it is no participant, it neither reads nor comments.
    assert "SECONDDRAFT" not in ind.get(url).content.decode()
    assert ind.post(f"{url}record/comment/", {"comment-text": "x"}).status_code == 404

    rus.post(f"{url}record/comment/", {"comment-text": "Please add Russia's support. RUSNOTE"})
    chn.post(f"{url}record/comment/", {"comment-text": "China asks for a correction. CHNNOTE"})
    assert record.comments.count() == 2
    assert record.comments.get(delegation__code="RUS").version.number == 2
    # Comments: the secretariat reads all, a delegation its own.
    rus_page = rus.get(url).content.decode()
    assert "RUSNOTE" in rus_page and "CHNNOTE" not in rus_page
    officer_page = officer.get(url).content.decode()
    assert "RUSNOTE" in officer_page and "CHNNOTE" in officer_page

    officer.post(
        f"{url}record/", {"record-text": "The SWG welcomed the text with Russia's support."}
    )
    officer.post(f"{url}record/final/")
    record.refresh_from_db()
    assert record.status == "final" and record.versions.count() == 3
    # Final: everyone who sees the meeting reads it; nobody comments, nobody edits.
    assert "with Russia&#x27;s support" in ind.get(url).content.decode()
    rus.post(f"{url}record/comment/", {"comment-text": "Late LATENOTE"})
    assert not record.comments.filter(text__contains="LATENOTE").exists()
    with pytest.raises(minutes.MinutesError):
        minutes.do_save_record(item, "changed", actor=forum["secretariat"])
    kinds = set(
        AuditEvent.objects.filter(action__startswith="minutes.").values_list("action", flat=True)
    )
    assert kinds == {"minutes.save", "minutes.circulate", "minutes.comment", "minutes.finalise"}


def test_comments_close_at_the_deadline(swg_meeting, forum, client_for):
    item = item_of(swg_meeting, "Opening of the meeting")
    minutes.do_save_record(item, "Opened.", actor=forum["secretariat"])
    record = minutes.do_circulate_record(
        SummaryRecord.objects.get(item=item),
        timezone.now() + timedelta(hours=1),
        actor=forum["secretariat"],
    )
    rus = client_for("rus")
    register(rus, swg_meeting, "Ivan Petrov")
    SummaryRecord.objects.filter(pk=record.pk).update(
        comments_due=timezone.now() - timedelta(seconds=1)
    )
    rus.post(f"{item.get_absolute_url()}record/comment/", {"comment-text": "too late"})
    assert record.comments.count() == 0
    # A deadline in the past is refused when circulating.
    with pytest.raises(minutes.MinutesError):
        minutes.do_circulate_record(
            record, timezone.now() - timedelta(days=1), actor=forum["secretariat"]
        )


def test_only_the_secretariat_writes_the_minutes(swg_meeting, client_for):
    item = item_of(swg_meeting, "Opening of the meeting")
    url = item.get_absolute_url()
    assert client_for("rus").post(f"{url}record/", {"record-text": "x"}).status_code == 403
    assert client_for("chair").post(f"{url}record/final/").status_code == 403
    assert not SummaryRecord.objects.filter(item=item).exists()


def test_an_outsider_sees_nothing_of_an_ict_meeting_minutes(ict_meeting, forum, client_for):
    officer = forum["secretariat"]
    item = actions.do_add_item(ict_meeting, title="Threat assessment", actor=officer)
    actions.do_publish_agenda(ict_meeting, "provisional", actor=officer)
    minutes.do_save_record(item, "Closed discussion.", actor=officer)
    minutes.do_finalise_record(SummaryRecord.objects.get(item=item), actor=officer)
    url = item.get_absolute_url()
    assert client_for("isr").get(url).status_code == 404
    assert client_for("isr").post(f"{url}record/comment/", {"comment-text": "x"}).status_code == 404
    assert "Closed discussion." in client_for("chn").get(url).content.decode()


# --- decisions, agenda adoption, outcome -------------------------------------------------------
def test_adopting_the_agenda_is_a_decision_of_the_body(swg_meeting, forum, client_for):
    officer = forum["secretariat"]
    actions.do_add_item(swg_meeting, title="Adoption of the agenda", kind="adoption", actor=officer)
    actions.do_publish_agenda(swg_meeting, "adopted", actor=officer)
    decision = MeetingDecision.objects.get(meeting=swg_meeting)
    assert decision.kind == "agenda" and decision.decided_on == timezone.localdate()
    assert decision.item.kind == "adoption"
    assert AuditEvent.objects.filter(
        action="decision.record", object_id=str(swg_meeting.pk)
    ).exists()
    page = client_for("ind").get(swg_meeting.get_absolute_url()).content.decode()
    assert "The SWG adopted the agenda of the meeting." in page
    body_page = client_for("ind").get("/meetings/bodies/SWG/decisions/").content.decode()
    assert "SWG meeting" in body_page and "adopted the agenda" in body_page


def test_a_body_decisions_page_shows_no_outsider_anything(ict_meeting, forum, client_for):
    officer = forum["secretariat"]
    actions.do_add_item(ict_meeting, title="Adoption", kind="adoption", actor=officer)
    actions.do_publish_agenda(ict_meeting, "adopted", actor=officer)
    assert client_for("isr").get("/meetings/bodies/ICT-WG/decisions/").status_code == 404
    assert "QWERTY" in client_for("chn").get("/meetings/bodies/ICT-WG/decisions/").content.decode()


def test_a_decision_with_a_task_becomes_a_mandate_on_the_next_review(
    swg_meeting, make_meeting, forum, client_for, add_document
):
    from secretariat.programme import actions as programme
    from secretariat.programme.models import Mandate

    item = item_of(swg_meeting, "Draft Astana Statement")
    soc = Body.objects.get(code="SOC")
    officer = client_for("secretariat")
    officer.post(
        f"{item.get_absolute_url()}decision/",
        {
            "decision-title": "Road map",
            "decision-text": "The SWG agreed on the next steps.",
            "decision-decided_on": "2030-06-04",
            "decision-task_assignee": "chairmanship",
            "decision-task_what": "Prepare a road map for the transformation ROADMAP",
            "decision-task_due_meeting_of": soc.pk,
        },
    )
    decision = MeetingDecision.objects.get(meeting=swg_meeting, kind="decision")
    tasking = decision.taskings.get()
    assert tasking.status == "confirmed" and not tasking.detected
    mandate = Mandate.objects.get(tasking=tasking)
    assert mandate.assignee == "chairmanship" and mandate.due_meeting_of == soc
    assert mandate.given_by.code == "SWG" and mandate.given_on == date(2030, 6, 4)
    # never wider than the meeting: the SWG meeting is for the SWG's members
    assert (mandate.access_level, mandate.body_id) == ("body", swg_meeting.body_id)

    # The next SOC meeting's review item lists it...
    som = make_meeting(
        "SOC",
        title="SOC meeting",
        starts_at=datetime(2030, 9, 1, 10, tzinfo=ALMATY),
        ends_at=datetime(2030, 9, 2, 18, tzinfo=ALMATY),
    )
    review = actions.do_add_item(som, title="Review", kind="review", actor=forum["secretariat"])
    actions.do_publish_agenda(som, "provisional", actor=forum["secretariat"])
    page = client_for("ind").get(review.get_absolute_url()).content.decode()
    assert f'id="review-mandate-{mandate.pk}"' in page and "ROADMAP" in page
    assert "open" in page
    # ...and its status changes when the report arrives.
    report = add_document("The road map.", title="Road map report")
    programme.do_receive_mandate_report(mandate, report, actor=forum["chair"])
    page = client_for("ind").get(review.get_absolute_url()).content.decode()
    assert "ROADMAP" in page and "report received" in page
    # The held meeting's page lists the mandate it created.
    actions.do_set_meeting_status(swg_meeting, "held", actor=forum["secretariat"])
    page = client_for("ind").get(swg_meeting.get_absolute_url()).content.decode()
    assert f'id="outcome-mandate-{mandate.pk}"' in page
    # the observer sees no members' meeting, and not the mandate either
    from secretariat.programme.access import visible_mandates

    assert not visible_mandates(forum["observer"]).filter(pk=mandate.pk).exists()
    assert visible_mandates(forum["ind"]).filter(pk=mandate.pk).exists()


def test_a_task_in_the_adopted_text_is_proposed_then_confirmed(swg_meeting, forum, client_for):
    from secretariat.negotiation.actions import do_adopt_by_consensus, do_import_negotiation
    from secretariat.programme.models import Mandate

    negotiation = do_import_negotiation(
        title="Draft decision on the road map",
        body=Body.objects.get(code="SWG"),
        text=ADOPTABLE,
        actor=forum["secretariat"],
    )
    adopted = do_adopt_by_consensus(negotiation, actor=forum["secretariat"])
    item = item_of(swg_meeting, "Draft Astana Statement")
    officer = client_for("secretariat")
    officer.post(
        f"{item.get_absolute_url()}decision/",
        {
            "decision-title": "Decision on the road map",
            "decision-decided_on": "2030-06-04",
            "decision-negotiation_decision": adopted.pk,
        },
    )
    decision = MeetingDecision.objects.get(meeting=swg_meeting, kind="decision")
    tasking = decision.taskings.get()
    assert tasking.detected and tasking.status == "proposed"
    assert tasking.assignee == "chairmanship" and tasking.due_meeting_of.code == "SOC"
    assert tasking.negotiation_decision == adopted
    assert "prepare a road map" in tasking.task
    assert not Mandate.objects.exists()  # a proposal is not a mandate yet
    # A proposal is the secretariat's: delegations do not see it.
    assert (
        f'id="tasking-{tasking.pk}"'
        not in client_for("ind").get(item.get_absolute_url()).content.decode()
    )
    officer.post(f"{item.get_absolute_url()}tasking/", {"tasking": tasking.pk, "action": "confirm"})
    mandate = Mandate.objects.get(tasking=tasking)
    assert mandate.decision == adopted
    officer.post(f"{item.get_absolute_url()}tasking/", {"tasking": tasking.pk, "action": "confirm"})
    assert Mandate.objects.count() == 1  # confirming twice makes one mandate
    assert (
        f'id="tasking-{tasking.pk}"'
        in client_for("ind").get(item.get_absolute_url()).content.decode()
    )


def test_the_outcome_of_a_held_meeting_as_each_reader_may_see_it(
    swg_meeting, forum, client_for, add_document
):
    officer = forum["secretariat"]
    item = item_of(swg_meeting, "Draft Astana Statement")
    public_doc = add_document("Joint statement.", title="Joint statement OUTDOC")
    secret_doc = add_document(
        "Internal.", title="Internal note SECRETDOC", access_level="secretariat"
    )
    minutes.do_record_decision(
        swg_meeting,
        item=item,
        title="Adoption of the statement",
        decided_on=date(2030, 6, 4),
        outcome_documents=[public_doc, secret_doc],
        actor=officer,
    )
    minutes.do_save_record(item, "The SWG adopted the statement. MINUTESTEXT", actor=officer)
    minutes.do_finalise_record(SummaryRecord.objects.get(item=item), actor=officer)
    draft_item = item_of(swg_meeting, "Secret draft item XYZZY")
    minutes.do_save_record(draft_item, "Unpublished item record HIDDENREC", actor=officer)
    minutes.do_finalise_record(SummaryRecord.objects.get(item=draft_item), actor=officer)
    url = swg_meeting.get_absolute_url()
    assert 'id="outcome"' not in client_for("ind").get(url).content.decode()  # not held yet
    actions.do_set_meeting_status(swg_meeting, "held", actor=officer)
    page = client_for("ind").get(url).content.decode()
    assert 'id="outcome"' in page and "OUTDOC" in page and "MINUTESTEXT" in page
    assert "SECRETDOC" not in page  # a linked document the reader may not see stays out
    assert "HIDDENREC" not in page  # nor the minutes of an item never published
    officer_page = client_for("secretariat").get(url).content.decode()
    assert "SECRETDOC" in officer_page and "HIDDENREC" in officer_page


# --- finding tasks in words ---------------------------------------------------------------------
def test_find_tasks_reads_who_what_and_when():
    found = find_tasks(
        "Requests the Chairmanship to prepare a road map by its next meeting. "
        "Tasks the Secretariat with collecting national reports by 31 March 2023; "
        "invites the coordinators to submit progress reports at the next meeting of the SOC. "
        "Calls upon Member States to comply."
    )
    assert [(f.assignee, f.due_on, f.due_body_code) for f in found] == [
        ("chairmanship", None, ""),
        ("secretariat", date(2023, 3, 31), ""),
        ("coordinator", None, "SOC"),
    ]
    assert find_tasks("Requests the SWG to finalise the text by June 2031.")[0].body_code == "SWG"
    assert find_tasks("Requests the SWG to finalise the text by June 2031.")[0].due_on == date(
        2031, 6, 30
    )
    assert find_tasks("Welcomes the report.") == []
    assert find_tasks("requests the Secretariat to act by 31 February 2030")[0].due_on is None


def test_operative_paragraphs_are_the_op_ones():
    assert operative_paragraphs([("PP1", "a"), ("OP1", "b"), ("2.", "c")]) == ["b", "c"]
    assert operative_paragraphs([(None, "a")]) == ["a"]


def test_a_tasking_needs_a_due(swg_meeting, forum):
    decision = minutes.do_record_decision(
        swg_meeting, title="x", decided_on=date(2030, 6, 4), actor=forum["secretariat"]
    )
    with pytest.raises(minutes.MinutesError):
        minutes.do_add_tasking(
            decision, minutes.TaskingFields("secretariat", "do it"), actor=forum["secretariat"]
        )
    assert not Tasking.objects.exists()


def test_the_demo_swg_meeting_has_minutes_an_outcome_and_mandates(forum, client_for):
    import io

    from secretariat.meetings import demo
    from secretariat.meetings.models import Meeting
    from secretariat.programme.models import Mandate

    demo.load_demo(io.StringIO())
    meeting = Meeting.objects.get(title=demo.SWG_TITLE)
    assert meeting.status == "held"
    assert SummaryRecord.objects.filter(item__meeting=meeting, status="final").count() == 3
    kinds = list(meeting.decisions.values_list("kind", flat=True))
    assert kinds == ["agenda", "decision"]
    mandates = Mandate.objects.filter(tasking__decision__meeting=meeting)
    assert sorted(m.assignee for m in mandates) == ["chairmanship", "lead_country"]
    assert all(m.due_meeting_of.code == "SOC" for m in mandates)
    page = client_for("ind").get(meeting.get_absolute_url()).content.decode()
    assert 'id="outcome"' in page and "prepare a road map" in page
    assert "The SWG adopted the agenda of the meeting." in page


def test_a_task_read_in_a_narrower_text_stays_as_narrow(swg_meeting, forum, client_for):
    """An ICT working group text's task, linked to an SWG meeting's decision: the mandate and
    the task are no wider than the ICT text (never wider than its source)."""
    from secretariat.negotiation.actions import do_adopt_by_consensus, do_import_negotiation
    from secretariat.programme.access import visible_mandates
    from secretariat.programme.models import Mandate

    negotiation = do_import_negotiation(
        title="ICT decision",
        body=Body.objects.get(code="ICT-WG"),
        text=ADOPTABLE,
        actor=forum["secretariat"],
    )
    adopted = do_adopt_by_consensus(negotiation, actor=forum["secretariat"])
    item = item_of(swg_meeting, "Draft Astana Statement")
    decision = minutes.do_record_decision(
        swg_meeting,
        item=item,
        title="Endorsement",
        decided_on=date(2030, 6, 4),
        negotiation_decisions=[adopted],
        actor=forum["secretariat"],
    )
    tasking = decision.taskings.get()
    minutes.do_confirm_tasking(tasking, actor=forum["secretariat"])
    mandate = Mandate.objects.get(tasking=tasking)
    assert mandate.access_level == "secretariat"
    assert not visible_mandates(forum["ind"]).filter(pk=mandate.pk).exists()
    page = client_for("ind").get(item.get_absolute_url()).content.decode()
    assert f'id="tasking-{tasking.pk}"' not in page and "prepare a road map" not in page
    assert (
        f'id="tasking-{tasking.pk}"'
        in client_for("chn").get(item.get_absolute_url()).content.decode()
    )

"""Whatever is posted to the meetings forms, the answer is a page or a redirect, never a 500."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

texts = st.text(max_size=120)
numbers = st.one_of(st.integers(-5, 10**10).map(str), texts)


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=texts,
    start=texts,
    end=st.sampled_from(["2030-01-01T10:00", "2020-01-01T10:00", "", "x"]),
    zone=st.sampled_from(["Asia/Almaty", "UTC", "Mars/Olympus", ""]),
    link=texts,
    precedence=st.sampled_from(["lot", "alphabet", "bogus"]),
    body=numbers,
)
def test_meeting_form_never_500(
    client_for, swg_meeting, title, start, end, zone, link, precedence, body
):
    officer = client_for("secretariat")
    data = {
        "title": title,
        "body": body,
        "access_level": "body",
        "starts_at": start,
        "ends_at": end,
        "time_zone": zone,
        "online_link": link,
        "precedence": precedence,
        "parent": body,
        "lot_start": body,
        "registration_deadline": start,
    }
    for url in ("/meetings/new/", f"/meetings/{swg_meeting.pk}/edit/"):
        assert officer.post(url, data).status_code in (302, 400)


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    title=texts,
    annotation=st.text(max_size=300),
    kind=st.sampled_from(["regular", "review", "adoption", "other", "provisional", "adopted"]),
    parent=numbers,
    number=numbers,
    action=st.sampled_from(["call", "up", "down", "x", ""]),
)
def test_agenda_and_item_forms_never_500(
    client_for, swg_meeting, title, annotation, kind, parent, number, action
):
    officer = client_for("secretariat")
    base = f"/meetings/{swg_meeting.pk}"
    item = swg_meeting.items.first()
    posts = [
        (
            f"{base}/items/add/",
            {"title": title, "annotation": annotation, "kind": kind, "parent": parent},
        ),
        (f"{base}/agenda/publish/", {"publish-kind": kind}),
        (f"{base}/status/", {"status": kind}),
        (f"{base}/items/{item.pk}/move/", {"direction": action}),
        (f"{base}/items/{item.pk}/attach/", {"document": number, "status": kind}),
        (f"{base}/items/{item.pk}/negotiation/", {"negotiation": number}),
        (f"{base}/items/{item.pk}/speaker/", {"speaker": number, "action": action}),
        (f"{base}/items/{item.pk}/time/", {"minutes": number}),
        (
            f"{base}/registration/{number}/approve/"
            if number.isdigit() and len(number) < 9
            else f"{base}/registration/1/approve/",
            {},
        ),
    ]
    for url, data in posts:
        assert officer.post(url, data).status_code in (200, 302, 400, 404), url


@pytest.mark.slow
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.text(max_size=220),
    honorific=texts,
    function=st.text(max_size=320),
    rank=numbers,
    arrives=texts,
    departs=st.sampled_from(["2030-06-01", "1999-01-01", "", "31/31/31"]),
    head=st.sampled_from(["on", ""]),
    filename=texts,
    content=st.binary(max_size=200),
)
def test_registration_forms_never_500(
    client_for,
    swg_meeting,
    name,
    honorific,
    function,
    rank,
    arrives,
    departs,
    head,
    filename,
    content,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    ind = client_for("ind")
    base = f"/meetings/{swg_meeting.pk}/registration"
    data = {
        "name": name,
        "honorific": honorific,
        "function": function,
        "rank": rank,
        "arrives_on": arrives,
        "departs_on": departs,
        "is_head": head,
    }
    assert ind.post(f"{base}/participant/", data).status_code == 302
    upload = SimpleUploadedFile(
        (filename or "f").replace("\x00", "").replace("/", "_")[:100] or "f", content
    )
    assert ind.post(f"{base}/accreditation/", {"note": upload}).status_code == 302


@pytest.mark.slow
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(title=st.text(max_size=320), text=st.text(max_size=500), audience=texts, reference=texts)
def test_statement_and_note_forms_never_500(
    client_for, swg_meeting, title, text, audience, reference
):
    item = swg_meeting.items.first()
    response = client_for("chn").post(
        f"{item.get_absolute_url()}statement/", {"title": title, "text": text, "audience": audience}
    )
    assert response.status_code == 302
    response = client_for("secretariat").post(
        f"{swg_meeting.get_absolute_url()}convening-note/", {"reference": reference}
    )
    assert response.status_code == 302

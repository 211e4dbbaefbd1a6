"""`secretariat notes bench`: issuing a circular to every member state (number, three language
editions, the PDF rendered and stored, one email per contact point queued in the outbox, then
sent by the outbox to a loopback SMTP server), beside Django's plain `send_mass_mail` of the
same number of messages to the same server, in the same run.

Everything the bench writes to the database is rolled back at the end (one contact point per
member state is created for the run); the PDF files it stored stay, content-addressed.
"""

from __future__ import annotations

import statistics
import time
from io import TextIOBase

from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.test import override_settings

from secretariat.accounts.models import Delegation, Role, User
from secretariat.communications import actions, seed
from secretariat.communications.models import Note, NoteKind, Series

TEXT = {
    "en": "forward the documents of the Special Working Group.\n\n- Recommendations of the SWG;",
    "ru": "препроводить документы Специальной рабочей группы.\n\n- Рекомендации СРГ;",
    "kk": "Арнаулы жұмыс тобының құжаттарын жолдауды өзіне мәртебе санайды.",
}


class _Rollback(Exception):
    pass


def run_bench(stdout: TextIOBase, rounds: int = 3) -> None:
    from secretariat.outbox.sending import send_due
    from secretariat.outbox.sink import smtp_sink

    results: dict[str, list[float]] = {"issue": [], "outbox_send": [], "django_mass": []}
    members = list(Delegation.objects.filter(kind=Delegation.Kind.MEMBER))
    with smtp_sink() as sink, override_settings(EMAIL_HOST="127.0.0.1", EMAIL_PORT=sink.port):
        try:
            with transaction.atomic():
                seed.seed_house_style()
                for d in members:
                    User.objects.create(
                        username=f"bench-{d.code.lower()}",
                        email=f"bench-{d.code.lower()}@bench.invalid",
                        role=Role.CONTACT_POINT,
                        delegation=d,
                        language="ru" if d.code in ("RUS", "KAZ", "KGZ", "TJK", "UZB") else "en",
                    )
                series = Series.objects.get(code="NV")
                # Warm up (fonts loaded, templates compiled) outside the measured rounds.
                _issue(series)
                send_due()
                for _round in range(rounds):
                    start = time.perf_counter()
                    note = _issue(series)
                    results["issue"].append(time.perf_counter() - start)
                    before = len(sink.received)
                    start = time.perf_counter()
                    report = send_due()
                    results["outbox_send"].append(time.perf_counter() - start)
                    sent = len(sink.wait_for(before + report.sent)) - before
                    messages = [
                        (
                            f"Note {note.reference}: SWG documents",
                            f"The Secretariat has issued note {note.reference}.",
                            "secretariat@localhost",
                            [u.email],
                        )
                        for u in User.objects.filter(username__startswith="bench-")
                    ]
                    start = time.perf_counter()
                    send_mass_mail(messages, connection=get_connection())
                    results["django_mass"].append(time.perf_counter() - start)
                stdout.write(
                    f"member states: {len(members)}; emails per circular: {sent}; "
                    f"rounds: {rounds}\n"
                )
                raise _Rollback
        except _Rollback:
            pass
    labels = {
        "issue": "issue a circular (number, 3 editions, PDF, queue the emails)",
        "outbox_send": "outbox: send those emails (rendered per language, PDF attached)",
        "django_mass": "Django send_mass_mail of as many plain messages",
    }
    for key, label in labels.items():
        values = results[key]
        stdout.write(
            f"{label:70} median {statistics.median(values) * 1000:8.1f} ms  "
            f"(min {min(values) * 1000:.1f}, max {max(values) * 1000:.1f})\n"
        )


def _issue(series: Series) -> Note:
    note = actions.do_create_note(
        kind=NoteKind.CIRCULAR,
        series=series,
        editions=[actions.EditionText(k, "SWG documents", v) for k, v in TEXT.items()],
        actor=None,
    )
    actions.do_approve_note(note, actor=None)
    return actions.do_issue_note(note, actor=None)

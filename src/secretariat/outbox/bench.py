"""`secretariat mail bench`: the outbox's sending rate beside Django's `send_mass_mail`, both
to the same loopback aiosmtpd server in the same run.

The outbox figure is end to end through the real send path: claim the rows (conditional
UPDATE), render each in the recipient's language, send over one SMTP connection per batch, and
record each message as sent in its own transaction. Django's figure is the same messages built
in memory and sent over one connection with nothing recorded. The rows and the user the bench
creates are deleted afterwards; run it on a scratch data directory if you prefer.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import get_connection, send_mass_mail
from django.db import transaction
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from secretariat.accounts.models import Role, User
from secretariat.outbox.api import EmailRequest, RenderedEmail, enqueue_emails, register_kind
from secretariat.outbox.models import OutboundEmail
from secretariat.outbox.sending import send_due


class Writer(Protocol):
    def write(self, text: str) -> Any: ...


SUBJECT = "Bench message %d"
BODY = "A notification of the kind the forum sends, with a link: %s/n/%d/\n"


def _render(params: dict[str, Any], user: User) -> RenderedEmail:
    n = int(params["n"])
    return RenderedEmail(
        subject=SUBJECT % n,
        text=BODY % (settings.SECRETARIAT_BASE_URL, n) + _("Notifications"),
        html="",
    )


def run_bench(out: Writer, *, messages: int = 500, batch: int = 100) -> dict[str, float]:
    try:
        from secretariat.outbox.sink import smtp_sink
    except ImportError:  # pragma: no cover
        out.write("aiosmtpd is needed: pip install -e '.[test]'\n")
        return {}
    register_kind("outbox.bench", _render)
    tag = uuid.uuid4().hex[:8]
    user = User.objects.create_user(
        f"mail-bench-{tag}", email=f"bench-{tag}@bench.test", role=Role.OBSERVER
    )
    results: dict[str, float] = {}
    try:
        with (
            smtp_sink() as sink,
            override_settings(
                EMAIL_HOST="127.0.0.1",
                EMAIL_PORT=sink.port,
                EMAIL_USE_TLS=False,
                EMAIL_HOST_USER="",
                OUTBOX_BATCH_SIZE=batch,
            ),
        ):
            start = time.perf_counter()
            with transaction.atomic():
                enqueue_emails(
                    EmailRequest(user, "outbox.bench", {"n": i}, key=f"bench:{tag}:{i}")
                    for i in range(messages)
                )
            enqueued = time.perf_counter() - start

            start = time.perf_counter()
            report = send_due()
            outbox_seconds = time.perf_counter() - start
            sink.wait_for(messages, timeout=30)
            assert report.sent == messages, report

            datatuples = [
                (
                    SUBJECT % i,
                    BODY % (settings.SECRETARIAT_BASE_URL, i) + _("Notifications"),
                    settings.DEFAULT_FROM_EMAIL,
                    [user.email],
                )
                for i in range(messages)
            ]
            connection = get_connection("django.core.mail.backends.smtp.EmailBackend")
            start = time.perf_counter()
            sent = send_mass_mail(datatuples, connection=connection)
            django_seconds = time.perf_counter() - start
            sink.wait_for(2 * messages, timeout=30)
            assert sent == messages
    finally:
        OutboundEmail.objects.filter(key__startswith=f"bench:{tag}:").delete()
        user.delete()

    results = {
        "outbox_per_second": messages / outbox_seconds,
        "django_per_second": messages / django_seconds,
        "enqueue_per_second": messages / enqueued,
    }
    vendor = transaction.get_connection().vendor
    out.write(f"{messages} messages to a loopback aiosmtpd server ({vendor} database)\n")
    out.write(
        f"  enqueue (one bulk insert)             {results['enqueue_per_second']:10.0f} msg/s\n"
    )
    out.write(
        f"  outbox send path (batches of {batch:<4})    "
        f"{results['outbox_per_second']:10.0f} msg/s  ({outbox_seconds:.2f} s)\n"
    )
    out.write(
        f"  Django send_mass_mail (1 connection)  "
        f"{results['django_per_second']:10.0f} msg/s  ({django_seconds:.2f} s)\n"
    )
    return results

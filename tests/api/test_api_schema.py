"""schemathesis over the whole OpenAPI document, on the demo forum: no 500, and every response
conforms to the document (status, content type, body schema). Bounded per operation so the run
stays under ~2 minutes."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

# Examples per operation and persona (the negative ones, malformed requests, only with the
# write token: they are refused before access matters).
EXAMPLES = {GenerationMode.POSITIVE: 6, GenerationMode.NEGATIVE: 4}


@pytest.fixture
def demo(forum, finder_index, run_tasks) -> None:
    # The parts of the demo forum the API serves: the library, then its negotiations.
    from secretariat.archive.demo import load_demo as load_library
    from secretariat.negotiation.demo import load_demo as load_negotiations

    load_library(io.StringIO())
    load_negotiations(io.StringIO())
    run_tasks()  # the finder index


@pytest.fixture
def keep_connection() -> Iterator[None]:
    """Requests go through the WSGI handler, not Django's test client: like the client, keep
    the end of a request from closing the connection that holds the test's transaction (on
    PostgreSQL it would be closed)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.slow
def test_openapi_document_holds_for_every_operation(
    demo, token_for, keep_connection, settings
) -> None:
    settings.SECRETARIAT_API_RATE = "100000/min"  # thousands of calls in a minute, on purpose
    app = get_wsgi_application()
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    tokens = {"chn": token_for("chn", "write"), "ind": token_for("ind", "read")}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures: list[str] = []
    for operation in operations:
        for mode, examples in EXAMPLES.items():
            for user, token in tokens.items():
                if mode == GenerationMode.NEGATIVE and user != "chn":
                    continue
                check = _checker(operation, mode, examples, token)
                try:
                    check()
                except Exception as exc:  # collect all, report together
                    failures.append(f"{operation.label} [{mode.value}, {user}]: {exc}")
    assert not failures, "\n\n".join(failures)


def _checker(operation, mode, examples: int, token: str):
    headers = {"Authorization": f"Bearer {token}"}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def check(case) -> None:
        response = case.call(headers=headers)
        if response.status_code == 400 and (case.query or {}).get("cursor"):
            # A schema-valid string that is not one of our signed cursors: refused as a bad
            # request on purpose (a cursor cannot be forged); the rest is checked as usual.
            assert response.json()["detail"] == "The cursor is not valid."
            return
        case.validate_response(response, headers=headers)

    return check

"""API fixtures: tokens made through the real action, clients that send them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def token_for(forum) -> Callable[..., str]:
    """token_for("ind", scope="write", days=30) -> the token string."""
    from secretariat.api.tokens import do_create_token

    def make(username: str, scope: str = "read", days: int = 30) -> str:
        return do_create_token(
            forum[username], name="test", scope=scope, days=days, actor=None
        ).secret

    return make


class ApiClient:
    def __init__(self, token: str | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get("/api/v1" + path, params, headers=self.headers)

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            "/api/v1" + path, data or {}, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def api_as(token_for) -> Callable[..., ApiClient]:
    def make(username: str | None, scope: str = "read") -> ApiClient:
        return ApiClient(token_for(username, scope) if username else None)

    return make


@pytest.fixture
def api_client() -> type[ApiClient]:
    """ApiClient(token_string): a client sending that token (or none)."""
    return ApiClient


SMALL = """DRAFT STATEMENT

PP1. Recognizing that rapid changes require stronger cooperation among our Member States;

PP2. Reaffirming our commitment to the UN Charter [and to its purposes] (+CHN) (-IND);

OP1. We hereby launch the negotiations process.
"""


@pytest.fixture
def start_negotiation(forum) -> Callable:
    """start_negotiation(body="SWG") -> a small negotiation imported by the secretariat."""
    from secretariat.accounts.models import Body
    from secretariat.negotiation.actions import do_import_negotiation

    def start(body: str = "SWG", title: str = "Draft statement", text: str = SMALL) -> Any:
        return do_import_negotiation(
            title=title, body=Body.objects.get(code=body), text=text, actor=forum["secretariat"]
        )

    return start

"""The REST API, version 1: one NinjaAPI mounted at /api/v1/ (see `secretariat.api.urls`)."""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.docs import Swagger

from secretariat.api import auth, problems
from secretariat.api.problems import PROBLEM_TYPE
from secretariat.api.throttle import PerCaller
from secretariat.api.v1 import forum, library, negotiations, notifications, people


class SecretariatAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        """Ninja's document, with every error response declared as problem+json (RFC 9457),
        which is what the API sends."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        for operations in schema["paths"].values():
            for operation in operations.values():
                # Ninja keys its responses by int, `openapi_extra` by string: the same code
                # twice in the JSON, which strict readers (Swagger UI's) refuse. One string key
                # each; the explicit (string) declaration wins.
                responses = operation.get("responses", {})
                merged = {str(c): r for c, r in responses.items() if not isinstance(c, str)}
                merged.update({c: r for c, r in responses.items() if isinstance(c, str)})
                if responses:
                    operation["responses"] = merged
                for code, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(code).startswith(("4", "5")) and "application/json" in content:
                        content[PROBLEM_TYPE] = content.pop("application/json")
        return schema


api = SecretariatAPI(
    title="Secretariat API",
    version="1",
    description=(
        "Documents, search, the agreed-language finder, negotiations, notes verbales, "
        "meetings, initiatives and notifications, under the same access policy as the pages. "
        "Authenticate with a personal token "
        "(`Authorization: Bearer sct_...`, created on the API tokens page) or the browser "
        "session. Errors are RFC 9457 problem details."
    ),
    urls_namespace="api-1",
    auth=[auth.bearer, auth.session],
    throttle=[PerCaller()],
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
problems.install(api)
api.add_router("", library.router)
api.add_router("", negotiations.router)
api.add_router("", notifications.router)
api.add_router("", forum.router)
api.add_router("", people.router)

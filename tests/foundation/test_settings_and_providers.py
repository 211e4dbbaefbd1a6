"""Settings refuse what they cannot understand, and the providers that lower apps offer to
home and the demo are found explicitly: a broken one fails loudly instead of vanishing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

import secretariat
from secretariat.core.providers import provider_modules
from secretariat.settings import env_bool


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("yes", True), (" ON ", True), ("0", False), ("off", False), ("", None)],
)
def test_env_bool_reads_the_usual_words(monkeypatch, value, expected) -> None:
    monkeypatch.setenv("SECRETARIAT_SOMETHING", value)
    default = object()
    assert env_bool("SECRETARIAT_SOMETHING", default) is (default if expected is None else expected)


def test_env_bool_refuses_a_typo_naming_the_variable_and_the_words(monkeypatch) -> None:
    monkeypatch.setenv("SECRETARIAT_HTTPS", "ture")
    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool("SECRETARIAT_HTTPS", True)
    message = str(caught.value)
    assert "SECRETARIAT_HTTPS='ture'" in message
    assert "1, true, yes, on, 0, false, no, off" in message


def test_every_app_with_a_dashboard_or_demo_is_found_in_order() -> None:
    assert [m.__name__ for m in provider_modules("dashboard")] == [
        "secretariat.notices.dashboard",
        "secretariat.archive.dashboard",
        "secretariat.negotiation.dashboard",
        "secretariat.communications.dashboard",
        "secretariat.board.dashboard",
        "secretariat.meetings.dashboard",
    ]
    assert [m.__name__ for m in provider_modules("demo")] == [
        "secretariat.archive.demo",
        "secretariat.negotiation.demo",
        "secretariat.communications.demo",
        "secretariat.programme.demo",
        "secretariat.board.demo",
        "secretariat.meetings.demo",
    ]


@pytest.fixture
def broken_app(tmp_path, monkeypatch, settings):
    """A real app package whose dashboard provider has a broken import."""
    package = tmp_path / "brokenapp"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "dashboard.py").write_text("from secretariat.notices import no_such_module\n")
    monkeypatch.setattr(secretariat, "__path__", [*secretariat.__path__, str(tmp_path)])
    provider_modules.cache_clear()
    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS, "secretariat.brokenapp"]
    yield
    provider_modules.cache_clear()


def test_a_broken_dashboard_provider_raises_instead_of_vanishing(broken_app, client_for) -> None:
    client = client_for("ind")
    client.raise_request_exception = True
    with pytest.raises(ImportError, match="no_such_module"):
        client.get(reverse("dashboard"))

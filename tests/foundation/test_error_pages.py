"""The product's own error pages (500, expired form) and its favicon, without a browser."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import include, path


def _boom(request):
    raise RuntimeError("a bug in a view")


# A test-only URL configuration: the product's URLs plus one view that fails.
urlpatterns = [path("test-only/boom/", _boom), path("", include("secretariat.urls"))]


@pytest.fixture
def failing_urls(settings) -> None:
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False


@pytest.mark.parametrize(
    ("language", "title"), [("en", "Something went wrong"), ("ru", "Произошла ошибка")]
)
def test_500_is_the_products_page_in_the_users_language(
    forum, failing_urls, language, title
) -> None:
    user = forum["ind"]
    user.language = language
    user.save(update_fields=["language"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    client.cookies["django_language"] = language
    response = client.get("/test-only/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert f'<h1 id="error-title">{title}</h1>' in body
    assert f'<html lang="{language}"' in body
    assert "/static/css/secretariat.css" in body
    assert "Traceback" not in body and "a bug in a view" not in body


def test_expired_form_is_the_products_page(forum) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(forum["ind"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = response.content.decode()
    assert "The form has expired" in body
    assert 'aria-label="Main"' in body  # the shell's navigation
    assert "CSRF verification failed" not in body


def test_favicon_is_served(db) -> None:
    response = Client().get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    assert response.content[:4] == b"\x00\x00\x01\x00"  # an ICO file's header


def test_the_demo_runs_without_debug_mode() -> None:
    import os

    from secretariat.cli import _prepare_demo_environment

    saved = {k: os.environ.pop(k, None) for k in ("SECRETARIAT_DEBUG", "SECRETARIAT_HTTPS")}
    try:
        _prepare_demo_environment(["secretariat", "demo"])
        assert os.environ["SECRETARIAT_DEBUG"] == "0"
        assert os.environ["SECRETARIAT_HTTPS"] == "0"
    finally:
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value

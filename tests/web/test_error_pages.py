"""Styled error pages: 403 and 404 in the layout with the navigation, a standalone 500 that
needs no database, and /favicon.ico where browsers look for it (issue 16)."""

import pytest
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.urls import path

from backsourcing import urls as root_urls

pytestmark = pytest.mark.django_db


def test_settings_serve_the_error_pages_not_the_debug_ones(settings):
    assert settings.DEBUG is False


def test_a_missing_page_is_a_styled_404_with_the_navigation(client, operations_manager):
    client.force_login(operations_manager)

    response = client.get("/contracts/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:2] == ["404.html", "base.html"]
    html = response.content.decode()
    assert '<nav class="navbar' in html
    assert 'aria-label="Main"' in html
    assert "Page not found" in html
    assert "<code>/contracts/no-such-page/</code>" in html
    assert 'href="/contracts/"' in html  # the register is a click away


def test_a_missing_object_is_the_same_404(client, operations_manager):
    client.force_login(operations_manager)

    response = client.get("/contracts/999999/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_an_anonymous_404_offers_signing_in(client):
    response = client.get("/nothing-here/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html
    assert 'href="/accounts/login/"' in html
    assert '<nav class="navbar' not in html  # the navigation is for signed-in people


def test_the_404_escapes_the_path(client):
    response = client.get("/%3Cscript%3Ealert(1)%3C/script%3E/")

    html = response.content.decode()
    assert "<script>alert(1)" not in html


def test_a_refused_page_is_a_styled_403_with_the_navigation(client, viewer):
    client.force_login(viewer)

    response = client.get("/contracts/new/")

    assert response.status_code == 403
    assert [t.name for t in response.templates][:2] == ["403.html", "base.html"]
    html = response.content.decode()
    assert '<nav class="navbar' in html
    assert "You may not open this page" in html
    assert 'href="/"' in html


# The 500 page: rendered with Django's server_error, for a view that fails.


def fails(request):
    raise RuntimeError("a bug")


urlpatterns = [path("boom/", fails), *root_urls.urlpatterns]
handler500 = root_urls.handler500


@pytest.mark.urls(__name__)
def test_a_server_error_is_a_standalone_page_that_needs_no_database(
    operations_manager, monkeypatch
):
    client = Client(raise_request_exception=False)
    client.force_login(operations_manager)

    def no_database(*args, **kwargs):
        raise AssertionError("the 500 page touched the database")

    with monkeypatch.context() as patch:
        # The session and user are never read; every query after the view fails would raise.
        patch.setattr(connections["default"], "cursor", no_database)
        patch.setattr(connections["default"], "_cursor", no_database)
        response = client.get("/boom/")

    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert '<nav class="navbar' in html
    assert 'href="/contracts/"' in html
    assert "a bug" not in html
    assert "<script" not in html
    assert "style=" not in html
    assert operations_manager.username not in html


def test_the_500_template_renders_with_an_empty_context():
    from django.template import loader

    html = loader.get_template("500.html").render()

    assert "Something went wrong on our side" in html


# The favicon, as production serves it: static files collected, served by whitenoise.


@pytest.fixture
def collected_static(tmp_path, settings):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return tmp_path


def test_the_favicon_answers_an_image_where_browsers_look(collected_static):
    client = Client()  # a new handler: whitenoise reads the collected files as it starts

    response = client.get("/favicon.ico", follow=True)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.redirect_chain[-1][0].startswith("/static/img/favicon.")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"<svg")

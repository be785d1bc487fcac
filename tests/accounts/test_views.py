"""Signing in and out, changing password, and every page needing a signed-in user."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # noqa: S105 - the factories' test password


def test_login_page_has_labelled_inputs(client):
    response = client.get(reverse("login"))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<label\s+for="id_username"', html)
    assert re.search(r'<label\s+for="id_password"', html)
    assert 'autocomplete="current-password"' in html


def test_signing_in_leads_to_the_page_asked_for(client, viewer):
    response = client.post(
        reverse("login"),
        {"username": "vera", "password": PASSWORD, "next": reverse("contracts:contract_list")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:contract_list")


def test_wrong_password_is_refused_with_a_message(client, viewer):
    response = client.post(reverse("login"), {"username": "vera", "password": "wrong"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_signed_in_user_opening_login_goes_to_the_dashboard(client, viewer):
    client.force_login(viewer)

    response = client.get(reverse("login"))

    assert response["Location"] == "/"


def test_logout_is_a_post_that_ends_the_session(client, viewer):
    client.force_login(viewer)

    refused = client.get(reverse("logout"))
    response = client.post(reverse("logout"))

    assert refused.status_code == 405
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_nav_offers_logout_as_a_form(client, viewer):
    client.force_login(viewer)

    html = client.get(reverse("dashboard")).content.decode()

    assert f'<form method="post" action="{reverse("logout")}">' in html
    assert "Viewers" in html


@pytest.mark.parametrize(
    "url_name",
    ["dashboard", "password_change", "contracts:provider_list", "contracts:contract_list"],
)
def test_pages_need_a_signed_in_user(client, url_name):
    url = reverse(url_name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_password_change_keeps_the_user_signed_in(client, viewer):
    client.force_login(viewer)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-much-longer-secret-42",
            "new_password2": "a-much-longer-secret-42",
        },
        follow=True,
    )

    viewer.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("password_change_done")
    assert viewer.check_password("a-much-longer-secret-42")
    assert client.get(reverse("dashboard")).status_code == 200


def test_password_change_errors_appear_next_to_the_fields(client, viewer):
    client.force_login(viewer)

    response = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "abc", "new_password2": "abd"},
    )

    form = response.context["form"]
    assert form.errors["old_password"] == [
        "Your old password was entered incorrectly. Please enter it again."
    ]
    assert form.errors["new_password2"] == ["The two password fields didn’t match."]
    html = response.content.decode()
    assert 'id="error_1_id_old_password"' in html

"""API tokens: issued with an expiry, stored hashed, several per user, seen and revoked on the
profile page and in the admin, and dead after a password change or deactivation by any path."""

import importlib
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token as DrfToken
from rest_framework.test import APIClient

from accounts import services
from accounts.checks import check_api_token_lifetime
from accounts.models import ApiToken
from accounts.tokens import key_digest
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-word-123"  # the factories' password
NEW_PASSWORD = "a-much-longer-secret-42"
NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
API = "/api/v1/providers/"


def obtain(username=None, password=PASSWORD, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def api_as(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def assert_refused(key, detail):
    response = api_as(key).get(API)
    # Session authentication comes first, so DRF answers 403 rather than 401 (api/schema.py).
    assert response.status_code == 403
    assert response.json() == {"detail": detail}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# The token endpoint ---------------------------------------------------------------------------


def test_the_token_endpoint_issues_a_key_that_expires_after_the_configured_days(
    viewer, frozen, settings
):
    settings.API_TOKEN_TTL_DAYS = 7

    response = obtain("vera", name="nightly export")

    assert response.status_code == 200
    body = response.json()
    token = ApiToken.objects.get(user=viewer)
    assert (token.name, token.expires) == ("nightly export", NOW + timedelta(days=7))
    assert body["token"]
    assert body["expires"] == "2026-12-01T09:30:00Z"
    assert api_as(body["token"]).get(API).status_code == 200


def test_only_a_digest_of_the_key_is_stored(viewer):
    key = obtain("vera").json()["token"]

    token = ApiToken.objects.get(user=viewer)
    assert token.digest == key_digest(key) != key
    assert not ApiToken.objects.filter(digest=key).exists()
    assert not DrfToken.objects.exists()


def test_every_sign_in_issues_another_token_and_all_of_them_work(viewer):
    first = obtain("vera").json()["token"]
    second = obtain("vera").json()["token"]

    assert first != second
    assert ApiToken.objects.filter(user=viewer).count() == 2
    assert api_as(first).get(API).status_code == 200
    assert api_as(second).get(API).status_code == 200


def test_a_token_is_refused_once_it_has_expired(viewer, frozen):
    _token, key = services.token_create(user=viewer, name="script")

    frozen.shift(timedelta(days=30) - timedelta(seconds=1))
    assert api_as(key).get(API).status_code == 200
    frozen.shift(timedelta(seconds=1))
    assert_refused(key, "Token has expired.")


def test_an_unknown_key_is_refused(viewer):
    services.token_create(user=viewer, name="script")

    assert_refused("0" * 64, "Invalid token.")


def test_use_is_recorded_at_most_once_a_minute(viewer, frozen):
    token, key = services.token_create(user=viewer, name="script")
    client = api_as(key)

    client.get(API)
    frozen.shift(timedelta(seconds=30))
    client.get(API)
    token.refresh_from_db()
    assert token.last_used == NOW

    frozen.shift(timedelta(seconds=31))
    client.get(API)
    token.refresh_from_db()
    assert token.last_used == NOW + timedelta(seconds=61)


def test_an_inactive_user_cannot_be_given_a_token(viewer):
    viewer.is_active = False
    viewer.save()

    with pytest.raises(ValidationError, match="inactive user"):
        services.token_create(user=viewer, name="script")
    assert obtain("vera").status_code == 400


# Revoked by a password change or deactivation, whatever the path ------------------------------


def set_password_like_manage_py_changepassword(user):
    user.set_password(NEW_PASSWORD)
    user.save()


def overwrite_the_hash_in_the_database(user):
    type(user).objects.filter(pk=user.pk).update(password=make_password(NEW_PASSWORD))


@pytest.mark.parametrize(
    "change_password",
    [set_password_like_manage_py_changepassword, overwrite_the_hash_in_the_database],
)
def test_a_password_change_by_any_path_revokes_earlier_tokens(viewer, change_password):
    _old, old_key = services.token_create(user=viewer, name="before")

    change_password(viewer)

    assert_refused(old_key, "Token revoked: the password was changed after it was issued.")
    viewer.refresh_from_db()
    _new, new_key = services.token_create(user=viewer, name="after")
    assert api_as(new_key).get(API).status_code == 200


def test_changing_the_password_on_its_page_deletes_the_users_tokens(client, viewer, project_lead):
    _token, key = services.token_create(user=viewer, name="script")
    services.token_create(user=project_lead, name="theirs")
    client.force_login(viewer)

    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=viewer).exists()
    assert ApiToken.objects.filter(user=project_lead).count() == 1
    assert_refused(key, "Invalid token.")


def test_an_admin_setting_a_password_deletes_the_users_tokens(admin_client, viewer):
    _token, key = services.token_create(user=viewer, name="script")

    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[viewer.pk]),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=viewer).exists()
    assert_refused(key, "Invalid token.")


def test_a_deactivated_user_is_refused_by_any_path(viewer):
    _token, key = services.token_create(user=viewer, name="script")

    type(viewer).objects.filter(pk=viewer.pk).update(is_active=False)

    assert_refused(key, "User inactive or deleted.")


def test_deactivating_in_the_admin_deletes_tokens_so_reactivating_does_not_revive_them(
    admin_client, viewer
):
    _token, key = services.token_create(user=viewer, name="script")
    change_url = reverse("admin:auth_user_change", args=[viewer.pk])
    data = {  # the change form as sent with "Active" unticked
        "username": viewer.username,
        "first_name": viewer.first_name,
        "last_name": viewer.last_name,
        "email": viewer.email,
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "groups": [group.pk for group in viewer.groups.all()],
    }

    response = admin_client.post(change_url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    viewer.refresh_from_db()
    assert not viewer.is_active
    assert not ApiToken.objects.filter(user=viewer).exists()
    type(viewer).objects.filter(pk=viewer.pk).update(is_active=True)
    assert_refused(key, "Invalid token.")


def test_issuing_a_token_drops_the_users_dead_ones(viewer, frozen):
    services.token_create(user=viewer, name="expires")
    frozen.shift(timedelta(days=31))
    live, _key = services.token_create(user=viewer, name="live")
    set_password_like_manage_py_changepassword(viewer)

    fresh, _key = services.token_create(user=viewer, name="fresh")

    assert list(ApiToken.objects.filter(user=viewer)) == [fresh]
    assert live.pk != fresh.pk


# Tokens made through DRF's own model ----------------------------------------------------------


def test_a_token_made_with_drfs_own_model_authenticates_nothing(viewer):
    # DRF's table only feeds the one-off migration below: a key there never expires and is
    # stored in plain text, so it is not a way in.
    key = DrfToken.objects.create(user=viewer).key

    assert api_as(key).get(API).status_code in {401, 403}


def test_the_migration_moves_existing_drf_tokens_into_hashed_expiring_ones(viewer, frozen):
    # bulk_create sends no signal: rows as DRF left them before this app had tokens.
    DrfToken.objects.bulk_create([DrfToken(key="a" * 40, user=viewer, created=NOW)])
    migration = importlib.import_module("accounts.migrations.0003_adopt_drf_tokens")

    migration.adopt_drf_tokens(apps, None)

    assert not DrfToken.objects.exists()
    token = ApiToken.objects.get(user=viewer)
    assert token.digest == key_digest("a" * 40)
    assert token.expires == NOW + timedelta(days=30)
    assert api_as("a" * 40).get(API).status_code == 200


# The profile page ------------------------------------------------------------------------------


def test_the_profile_page_needs_a_signed_in_user(client):
    url = reverse("profile")

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_the_user_menu_links_to_the_profile_page(client, viewer):
    client.force_login(viewer)

    html = client.get(reverse("dashboard")).content.decode()

    assert f'href="{reverse("profile")}"' in html


def test_the_profile_page_lists_the_users_own_tokens_without_their_keys(
    client, viewer, project_lead, frozen
):
    mine, my_key = services.token_create(user=viewer, name="export script")
    _theirs, _key = services.token_create(user=project_lead, name="their script")
    client.force_login(viewer)

    response = client.get(reverse("profile"))

    html = response.content.decode()
    assert list(response.context["tokens"]) == [mine]
    assert "export script" in html
    assert "24 Nov 2026, 09:30" in html  # created (UTC shown in Europe/London: GMT)
    assert "24 Dec 2026, 09:30" in html  # expires
    assert "Never" in html  # last used
    assert "their script" not in html
    assert my_key not in html
    assert mine.digest not in html


def test_a_token_created_on_the_profile_page_is_shown_once(client, viewer):
    client.force_login(viewer)

    response = client.post(reverse("token_create"), {"name": "CI"})

    [token] = ApiToken.objects.filter(user=viewer)
    key = response.context["new_key"]
    assert response.status_code == 200
    assert token.name == "CI"
    assert token.digest == key_digest(key)
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert key not in client.get(reverse("profile")).content.decode()
    assert api_as(key).get(API).status_code == 200


def test_a_token_needs_a_name(client, viewer):
    client.force_login(viewer)

    response = client.post(reverse("token_create"), {"name": " "})

    assert response.status_code == 400
    assert response.context["form"].errors == {"name": ["This field is required."]}
    assert not ApiToken.objects.exists()


def test_a_token_name_with_a_control_character_is_refused_next_to_the_field(client, viewer):
    client.force_login(viewer)

    response = client.post(reverse("token_create"), {"name": "CI\x07"})

    assert response.status_code == 400
    assert "U+0007" in response.context["form"].errors["name"][0]
    assert not ApiToken.objects.exists()


def test_revoking_a_token_on_the_profile_page_stops_it_at_once(client, viewer):
    token, key = services.token_create(user=viewer, name="script")
    client.force_login(viewer)

    response = client.post(reverse("token_revoke", args=[token.pk]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("profile")
    assert "The token “script” was revoked." in response.content.decode()
    assert not ApiToken.objects.exists()
    assert_refused(key, "Invalid token.")


def test_revoking_is_a_post(client, viewer):
    token, _key = services.token_create(user=viewer, name="script")
    client.force_login(viewer)

    response = client.get(reverse("token_revoke", args=[token.pk]))

    assert response.status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_nobody_revokes_another_users_token_from_their_profile(client, viewer, operations_manager):
    theirs, key = services.token_create(user=viewer, name="script")
    client.force_login(operations_manager)

    response = client.post(reverse("token_revoke", args=[theirs.pk]))

    assert response.status_code == 404
    assert api_as(key).get(API).status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_profile_page_query_count_does_not_grow_with_tokens(
    client, viewer, django_assert_num_queries, rows
):
    for n in range(rows):
        services.token_create(user=viewer, name=f"token {n}")
    client.force_login(viewer)

    # session, user, the time zone (read afresh here: the session carries it to other pages),
    # tokens, then what base.html asks: groups (role names), unread notifications
    with django_assert_num_queries(6):
        response = client.get(reverse("profile"))

    assert len(response.context["tokens"]) == rows


# The admin ------------------------------------------------------------------------------------


def test_an_admin_sees_every_token_but_never_a_key_nor_a_way_to_make_one(admin_client, viewer):
    token, key = services.token_create(user=viewer, name="script")

    listing = admin_client.get(reverse("admin:accounts_apitoken_changelist"))
    detail = admin_client.get(reverse("admin:accounts_apitoken_change", args=[token.pk]))

    assert list(listing.context["cl"].result_list) == [token]
    assert "Active" in listing.content.decode()
    for page in (listing, detail):
        assert key not in page.content.decode()
        assert token.digest not in page.content.decode()
    assert admin_client.get(reverse("admin:accounts_apitoken_add")).status_code == 403


def test_an_admin_revokes_any_users_tokens(admin_client, viewer, project_lead):
    _one, one_key = services.token_create(user=viewer, name="one")
    _two, two_key = services.token_create(user=project_lead, name="two")

    response = admin_client.post(
        reverse("admin:accounts_apitoken_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(ApiToken.objects.values_list("pk", flat=True)),
            "post": "yes",
        },
    )

    assert response.status_code == 302
    assert not ApiToken.objects.exists()
    assert_refused(one_key, "Invalid token.")
    assert_refused(two_key, "Invalid token.")


def test_the_admin_marks_tokens_a_password_change_revoked(admin_client):
    user = UserFactory(username="sam")
    services.token_create(user=user, name="script")
    set_password_like_manage_py_changepassword(user)

    response = admin_client.get(reverse("admin:accounts_apitoken_changelist"))

    assert "Token revoked: the password was changed after it was issued." in (
        response.content.decode()
    )


def test_a_token_lifetime_under_a_day_fails_the_system_checks(settings):
    settings.API_TOKEN_TTL_DAYS = 0

    assert [error.id for error in check_api_token_lifetime(None)] == ["accounts.E002"]

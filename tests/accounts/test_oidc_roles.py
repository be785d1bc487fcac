"""Single sign-on's decisions (accounts/oidc.py, accounts/services_oidc.py): the role claim
mapped to the three role groups, who is signed in as whom, who is refused and why, and the
password form kept for administrators. The protocol itself runs against a real provider in
tests/accounts/test_oidc_e2e.py."""

import pytest
from django.contrib.auth.models import Group, User
from django.contrib.messages import get_messages
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory
from django.urls import reverse

from accounts.models import OidcIdentity
from accounts.oidc import RoleClaimBackend, roles_from_claims
from accounts.services_oidc import SignInRefused, oidc_user_sign_in
from tests.factories import UserFactory
from tests.oidc.switch import sso_on

pytestmark = pytest.mark.django_db

ISSUER = "https://login.example.com/realms/acme"
PASSWORD = "pass-word-123"  # noqa: S105 - the factories' test password


@pytest.fixture
def sso(settings):
    with sso_on(settings):
        yield settings


def _claims(**claims):
    return {
        "sub": "f3b1c2",
        "preferred_username": "ada",
        "email": "ada@example.com",
        "given_name": "Ada",
        "family_name": "Lovelace",
        **claims,
    }


def _sign_in(roles, subject="f3b1c2", **claims):
    return oidc_user_sign_in(
        issuer=ISSUER, subject=subject, claims=_claims(sub=subject, **claims), roles=roles
    )


def _roles(user):
    return set(user.groups.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("claim", "roles"),
    [
        (["backsourcing-ops"], {"Operations managers"}),
        (["backsourcing-leads", "backsourcing-viewers"], {"Project leads", "Viewers"}),
        (["staff", "backsourcing-viewers", "everyone"], {"Viewers"}),
        ("backsourcing-leads backsourcing-viewers", {"Project leads", "Viewers"}),
        (["Backsourcing-Ops"], set()),  # compared exactly, as the provider spells it
        ([], set()),
        (None, set()),
        ([{"name": "backsourcing-ops"}, 7], set()),
    ],
)
def test_role_claim_values_map_to_role_groups(sso, claim, roles):
    assert roles_from_claims({"groups": claim}) == roles


def test_role_claim_name_is_a_setting(sso):
    sso.OIDC_ROLE_CLAIM = "roles"

    assert roles_from_claims({"roles": ["backsourcing-ops"], "groups": ["backsourcing-leads"]}) == {
        "Operations managers"
    }


def test_mapping_to_a_group_that_is_not_a_role_grants_nothing(sso):
    sso.OIDC_ROLE_MAP = {"admins": "Administrators", "backsourcing-viewers": "Viewers"}

    assert roles_from_claims({"groups": ["admins", "backsourcing-viewers"]}) == {"Viewers"}


def test_first_sign_in_creates_a_user_linked_to_the_subject_with_its_roles_and_no_password():
    user = _sign_in({"Project leads"})

    assert (user.username, user.email, user.get_full_name()) == (
        "ada",
        "ada@example.com",
        "Ada Lovelace",
    )
    assert _roles(user) == {"Project leads"}
    assert not user.has_usable_password()
    assert not user.is_staff
    assert not user.is_superuser
    identity = OidcIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (ISSUER, "f3b1c2")


def test_next_sign_in_sets_roles_name_and_email_from_the_claims_and_keeps_other_groups():
    user = _sign_in({"Operations managers", "Viewers"})
    auditors = Group.objects.create(name="Auditors")
    user.groups.add(auditors)

    again = _sign_in({"Project leads"}, email="ada@new.example.com", family_name="King")

    assert again.pk == user.pk
    assert _roles(again) == {"Project leads", "Auditors"}
    assert (again.email, again.last_name) == ("ada@new.example.com", "King")
    assert User.objects.count() == 1


def test_no_mapped_role_is_refused_and_creates_nobody():
    with pytest.raises(SignInRefused, match="no Backsourcing role"):
        _sign_in(set())

    assert not User.objects.exists()
    assert not OidcIdentity.objects.exists()


def test_a_known_user_whose_roles_were_all_removed_is_refused_and_loses_them():
    user = _sign_in({"Viewers"})

    with pytest.raises(SignInRefused, match="no Backsourcing role"):
        _sign_in(set())

    assert _roles(user) == set()


def test_a_local_account_with_the_same_email_is_not_taken_over():
    local = UserFactory(username="ada", email="ada@example.com", role="Operations managers")

    user = _sign_in({"Viewers"})

    assert user.pk != local.pk
    assert user.username == "ada@example.com"
    assert _roles(local) == {"Operations managers"}
    assert not OidcIdentity.objects.filter(user=local).exists()


def test_username_comes_from_the_subject_when_the_claimed_names_are_taken():
    UserFactory(username="ada")
    UserFactory(username="ADA@example.com")

    user = _sign_in({"Viewers"})

    assert user.username.startswith("sso-")
    assert user.username == _sign_in({"Viewers"}).username


def test_a_subject_of_another_issuer_is_another_person():
    first = _sign_in({"Viewers"})

    other = oidc_user_sign_in(
        issuer="https://evil.example.com", subject="f3b1c2", claims=_claims(), roles={"Viewers"}
    )

    assert other.pk != first.pk


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"is_staff": True}, "Administrators sign in with their username and password"),
        ({"is_superuser": True}, "Administrators sign in with their username and password"),
        ({"is_active": False}, "deactivated"),
    ],
)
def test_a_linked_admin_or_deactivated_account_is_refused(flags, message):
    user = _sign_in({"Viewers"})
    User.objects.filter(pk=user.pk).update(**flags)

    with pytest.raises(SignInRefused, match=message):
        _sign_in({"Operations managers"})

    assert _roles(user) == {"Viewers"}


def test_a_session_opened_by_single_sign_on_ends_when_its_user_is_made_staff(sso):
    user = _sign_in({"Viewers"})
    backend = RoleClaimBackend()

    assert backend.get_user(user.pk) == user
    User.objects.filter(pk=user.pk).update(is_staff=True)
    assert backend.get_user(user.pk) is None


def _backend_with_userinfo(userinfo):
    backend = RoleClaimBackend()
    backend.request = RequestFactory().get("/oidc/callback/")
    backend.get_userinfo = lambda access_token, id_token, payload: userinfo
    return backend


def _id_token(**claims):
    return {"iss": ISSUER, "sub": "f3b1c2", "aud": ["backsourcing"], **claims}


def test_roles_in_the_id_token_count_when_userinfo_has_none(sso):
    backend = _backend_with_userinfo(_claims())

    user = backend.get_or_create_user("access", "id", _id_token(groups=["backsourcing-ops"]))

    assert _roles(user) == {"Operations managers"}


def test_an_id_token_issued_to_another_client_is_refused(sso):
    backend = _backend_with_userinfo(_claims(groups=["backsourcing-ops"]))

    with pytest.raises(SuspiciousOperation, match="not issued to this client"):
        backend.get_or_create_user("access", "id", _id_token(aud="someone-else"))
    assert not User.objects.exists()


def test_userinfo_about_another_subject_is_refused(sso):
    backend = _backend_with_userinfo(_claims(sub="someone-else", groups=["backsourcing-ops"]))

    with pytest.raises(SuspiciousOperation, match="UserInfo subject"):
        backend.get_or_create_user("access", "id", _id_token())
    assert not User.objects.exists()


def test_a_refusal_leaves_its_reason_for_the_sign_in_page(sso):
    backend = _backend_with_userinfo(_claims(groups=["sales"]))

    assert backend.get_or_create_user("access", "id", _id_token()) is None
    assert "no Backsourcing role" in backend.request.oidc_refusal


def test_control_characters_in_claims_are_not_stored():
    user = _sign_in({"Viewers"}, given_name="Ada\x00\x07", preferred_username="a\x00da")

    assert user.first_name == "Ada"
    assert user.username == "ada@example.com"


def test_login_page_offers_the_provider_button_when_single_sign_on_is_on(client, sso):
    html = client.get(reverse("login"), {"next": "/contracts/"}).content.decode()

    assert "Sign in with Test Provider" in html
    assert f'href="{reverse("oidc_authentication_init")}?next=%2Fcontracts%2F"' in html


def test_login_page_has_no_provider_button_when_single_sign_on_is_off(client):
    assert "oidc" not in client.get(reverse("login")).content.decode()


def test_password_sign_in_is_refused_to_non_staff_when_single_sign_on_is_on(client, sso, viewer):
    response = client.post(reverse("login"), {"username": "vera", "password": PASSWORD})

    assert response.status_code == 200
    assert "Use the “Sign in with Test Provider” button" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_staff_still_sign_in_with_a_password_when_single_sign_on_is_on(client, sso):
    UserFactory(username="root", is_staff=True)

    response = client.post(reverse("login"), {"username": "root", "password": PASSWORD})

    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_everyone_signs_in_with_a_password_when_local_login_is_for_all(client, sso, viewer):
    sso.OIDC_LOCAL_LOGIN_FOR_ALL = True

    response = client.post(reverse("login"), {"username": "vera", "password": PASSWORD})

    assert response.status_code == 302


def test_wrong_password_still_says_only_that_when_single_sign_on_is_on(client, sso, viewer):
    response = client.post(reverse("login"), {"username": "vera", "password": "wrong"})

    html = response.content.decode()
    assert "Please enter a correct username and password" in html
    assert "Use the “Sign in with Test Provider” button" not in html


def test_provider_error_returns_to_the_login_page_with_a_message(client, sso):
    response = client.get(reverse("oidc_authentication_callback"), {"error": "access_denied"})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Single sign-on did not sign you in. Try again, or ask an administrator."
    ]


def test_provider_unreachable_at_the_callback_is_a_message_not_an_error_page(client, sso):
    start = client.get(reverse("oidc_authentication_init"))
    state = dict(part.split("=", 1) for part in start["Location"].split("?", 1)[1].split("&"))[
        "state"
    ]

    response = client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": state})

    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session

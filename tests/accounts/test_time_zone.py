"""A time zone per person: chosen on the profile page or in the admin, kept in the session,
and used for every moment a page shows, never for a date (docs/reminders.md, "Time zones")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.middleware import SESSION_KEY
from accounts.models import Preferences
from core.clock import local_today
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
PASSWORD = "pass-word-123"  # noqa: S105 - the factories' test password


def test_the_profile_page_changes_the_time_zone(client, viewer):
    client.force_login(viewer)

    response = client.post(reverse("preferences"), {"time_zone": "America/New_York"})

    assert response.status_code == 302
    assert Preferences.objects.get(user=viewer).time_zone == "America/New_York"
    assert client.session[SESSION_KEY] == "America/New_York"
    page = client.get(reverse("profile")).content.decode()
    assert '<option value="America/New_York" selected>' in page
    assert "Times are now shown in America/New_York." in page
    assert "in America/New_York." in page  # "It is now … in America/New_York."


def test_an_unknown_time_zone_is_refused_with_a_clear_message(client, viewer):
    client.force_login(viewer)

    response = client.post(reverse("preferences"), {"time_zone": "Mars/Olympus_Mons"})

    assert response.status_code == 400
    assert "“Mars/Olympus_Mons” is not a time zone we know" in response.content.decode()
    assert not Preferences.objects.filter(user=viewer).exists()


def test_the_service_refuses_a_zone_outside_the_list(viewer):
    with pytest.raises(ValidationError, match="not a time zone we know"):
        services.preferences_update(user=viewer, time_zone="localtime")


def test_an_empty_choice_goes_back_to_the_sites_zone(client, viewer):
    services.preferences_update(user=viewer, time_zone="Asia/Tokyo")
    client.force_login(viewer)

    client.post(reverse("preferences"), {"time_zone": ""})

    assert Preferences.objects.get(user=viewer).time_zone == ""
    assert client.session[SESSION_KEY] == ""


def test_signing_in_puts_the_zone_in_the_session(client, viewer):
    services.preferences_update(user=viewer, time_zone="Asia/Tokyo")

    client.post(reverse("login"), {"username": "vera", "password": PASSWORD})

    assert client.session[SESSION_KEY] == "Asia/Tokyo"


def test_a_history_time_is_shown_in_the_readers_zone_and_dates_stay_the_contracts(client, viewer):
    with time_machine.travel(datetime(2026, 11, 20, 14, 5, tzinfo=LONDON), tick=False):
        contract = ContractFactory(end_date=date(2027, 9, 30))
    url = reverse("contracts:contract_detail", args=[contract.pk])
    client.force_login(viewer)

    in_london = client.get(url).content.decode()
    services.preferences_update(user=viewer, time_zone="America/New_York")
    client.force_login(viewer)  # the next sign-in brings the zone into the session
    in_new_york = client.get(url).content.decode()

    assert "20 Nov 2026, 14:05" in in_london
    assert "20 Nov 2026, 09:05" in in_new_york
    assert "14:05" not in in_new_york
    assert "30 Sep 2027" in in_london
    assert "30 Sep 2027" in in_new_york  # a contract's date is the same in every zone


def test_a_session_from_before_keeps_the_zone_after_one_read(client, viewer):
    services.preferences_update(user=viewer, time_zone="Asia/Tokyo")
    client.force_login(viewer)
    session = client.session
    del session[SESSION_KEY]
    session.save()

    client.get(reverse("profile"))

    assert client.session[SESSION_KEY] == "Asia/Tokyo"


def test_today_stays_the_sites_day_while_a_readers_zone_is_active():
    # 01:00 in London on 1 December is still 30 November in New York.
    with (
        time_machine.travel(datetime(2026, 12, 1, 1, 0, tzinfo=LONDON), tick=False),
        timezone.override(ZoneInfo("America/New_York")),
    ):
        assert timezone.localdate() == date(2026, 11, 30)
        assert local_today() == date(2026, 12, 1)


def test_the_admin_sets_a_persons_time_zone_and_refuses_an_unknown_one(admin_client, viewer):
    url = reverse("admin:accounts_preferences_add")

    refused = admin_client.post(url, {"user": viewer.pk, "time_zone": "Mars/Olympus_Mons"})
    response = admin_client.post(url, {"user": viewer.pk, "time_zone": "Asia/Tokyo"})

    assert "is not a time zone we know" in refused.content.decode()
    assert response.status_code == 302
    assert Preferences.objects.get(user=viewer).time_zone == "Asia/Tokyo"
    change = reverse("admin:accounts_preferences_change", args=[viewer.pk])
    admin_client.post(change, {"time_zone": "Europe/Paris"})
    assert get_user_model().objects.get(pk=viewer.pk).preferences.time_zone == "Europe/Paris"

"""/metrics: django-prometheus's metrics and the reminder gauges read from the database,
only for the probe host names and, when set, the bearer token (docs/operations.md)."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import override_settings
from prometheus_client.parser import text_string_to_metric_families

from tests.reminders.delivery_rows import NOW, make_row_due_today, make_rows


def samples(response) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


@pytest.fixture
def now():
    with time_machine.travel(NOW, tick=False):
        yield NOW


@pytest.mark.django_db
def test_the_reminder_gauges_count_the_rows_in_one_query(client, now, django_assert_num_queries):
    make_rows()
    with django_assert_num_queries(1):
        response = client.get("/metrics", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert not response.cookies
    values = samples(response)
    by_status = {
        status: values[("backsourcing_reminders", (("status", status),))]
        for status in ("pending", "sent", "failed", "dropped", "missed")
    }
    assert by_status == {"pending": 5, "sent": 2, "failed": 1, "dropped": 0, "missed": 0}
    assert values[("backsourcing_reminders_failing", ())] == 3
    assert values[("backsourcing_reminders_stuck", ())] == 2
    # The oldest unsent row's day began two days and 30 minutes ago.
    assert values[("backsourcing_reminders_oldest_unsent_seconds", ())] == 2 * 86400 + 30 * 60
    assert values[("backsourcing_reminders_up", ())] == 1
    # django-prometheus's own metrics come first, from this process.
    assert ("django_http_requests_before_middlewares_total", ()) in values


@pytest.mark.django_db
def test_nothing_waiting_reads_zero(client, now):
    values = samples(client.get("/metrics", HTTP_HOST="localhost"))
    assert values[("backsourcing_reminders_oldest_unsent_seconds", ())] == 0
    assert values[("backsourcing_reminders_stuck", ())] == 0


@pytest.mark.django_db
@pytest.mark.parametrize("host", ["testserver", "backsourcing.example.com", ""])
def test_the_site_host_and_unknown_hosts_never_see_metrics(client, host):
    with override_settings(ALLOWED_HOSTS=["testserver", "backsourcing.example.com"]):
        response = client.get("/metrics", HTTP_HOST=host)
    assert response.status_code == 404
    assert b"backsourcing_reminders" not in response.content


@pytest.mark.django_db
@override_settings(HEALTH_ALLOWED_HOSTS=["127.0.0.1", "prometheus-scrape.internal"])
def test_a_listed_probe_host_may_scrape(client):
    assert client.get("/metrics", HTTP_HOST="prometheus-scrape.internal").status_code == 200
    assert client.get("/metrics", HTTP_HOST="other.internal").status_code == 404


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-scrape-token")
@pytest.mark.parametrize(
    ("authorization", "status"),
    [
        ("Bearer s3cret-scrape-token", 200),
        ("bearer s3cret-scrape-token", 200),
        ("", 401),
        ("Bearer wrong", 401),
        ("Basic s3cret-scrape-token", 401),
    ],
)
def test_with_a_token_set_the_scraper_must_present_it(client, authorization, status):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get("/metrics", HTTP_HOST="127.0.0.1", **headers)
    assert response.status_code == status
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert b"backsourcing_reminders" not in response.content


@pytest.mark.django_db
@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_the_token_does_not_open_the_site_host(client):
    response = client.get(
        "/metrics", HTTP_HOST="testserver", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token"
    )
    assert response.status_code == 404


@pytest.mark.django_db
def test_metrics_are_read_only(client):
    assert client.post("/metrics", HTTP_HOST="127.0.0.1").status_code == 405


@pytest.mark.django_db
def test_an_unreadable_database_is_reported_not_raised(client, monkeypatch):
    from django.db import OperationalError

    from health import metrics

    def broken(now):
        raise OperationalError("no such table")

    monkeypatch.setattr(metrics, "reminder_delivery_health", broken)
    response = client.get("/metrics", HTTP_HOST="127.0.0.1")
    assert response.status_code == 200
    values = samples(response)
    assert values[("backsourcing_reminders_up", ())] == 0
    assert ("backsourcing_reminders_stuck", ()) not in values


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("send_hour", "at", "stuck", "oldest"),
    [
        # A send day begins at REMINDER_LOCAL_SEND_HOUR in TIME_ZONE (GMT in November).
        (0, datetime(2026, 11, 24, 8, 59, tzinfo=UTC), 1, 8 * 3600 + 59 * 60),
        (9, datetime(2026, 11, 24, 8, 59, tzinfo=UTC), 0, 0),
        (9, datetime(2026, 11, 24, 9, 59, tzinfo=UTC), 0, 59 * 60),
        (9, datetime(2026, 11, 24, 10, 1, tzinfo=UTC), 1, 61 * 60),
    ],
)
def test_a_row_is_late_from_the_local_send_hour_of_its_day(client, send_hour, at, stuck, oldest):
    make_row_due_today()
    with override_settings(REMINDER_LOCAL_SEND_HOUR=send_hour), time_machine.travel(at):
        values = samples(client.get("/metrics", HTTP_HOST="127.0.0.1"))
    assert values[("backsourcing_reminders_stuck", ())] == stuck
    assert values[("backsourcing_reminders_oldest_unsent_seconds", ())] == pytest.approx(
        oldest, abs=1
    )

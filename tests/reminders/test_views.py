"""The notifications inbox: list, unread count in the navigation, mark one or all read."""

import pytest
from django.urls import reverse

from reminders.models import Notification
from tests.factories import UserFactory

INBOX = "reminders:inbox"


def notify(user, title="Milestone due tomorrow", url="/contracts/"):
    return Notification.objects.create(user=user, title=title, body="Details", url=url)


@pytest.fixture
def signed_in(client, project_lead):
    client.force_login(project_lead)
    return client


@pytest.mark.django_db
def test_the_inbox_lists_only_the_users_own_notifications(signed_in, project_lead):
    notify(project_lead, "Mine")
    notify(UserFactory(), "Not mine")
    page = signed_in.get(reverse(INBOX)).content.decode()
    assert "Mine" in page
    assert "Not mine" not in page


@pytest.mark.django_db
def test_the_navigation_bell_shows_the_unread_count(signed_in, project_lead):
    notify(project_lead)
    notify(project_lead)
    read = notify(project_lead)
    read.read_at = read.created_at
    read.save()
    response = signed_in.get(reverse(INBOX))
    assert response.context["unread_notification_count"] == 2
    assert 'data-testid="unread-count">2<' in response.content.decode()


@pytest.mark.django_db
def test_the_unread_filter_hides_read_notifications(signed_in, project_lead):
    notify(project_lead, "Still unread")
    done = notify(project_lead, "Already read")
    done.read_at = done.created_at
    done.save()
    page = signed_in.get(reverse(INBOX), {"show": "unread"}).content.decode()
    assert "Still unread" in page
    assert "Already read" not in page


@pytest.mark.django_db
def test_marking_one_read_without_javascript_redirects_back(signed_in, project_lead):
    notification = notify(project_lead)
    response = signed_in.post(
        reverse("reminders:notification_read", args=[notification.pk]),
        {"next": reverse(INBOX) + "?show=unread"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(INBOX) + "?show=unread"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.django_db
def test_marking_one_read_with_htmx_swaps_the_row_and_the_bell(signed_in, project_lead):
    notification = notify(project_lead)
    notify(project_lead)
    response = signed_in.post(
        reverse("reminders:notification_read", args=[notification.pk]), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{notification.pk}"' in html
    assert 'hx-swap-oob="true"' in html
    assert 'data-testid="unread-count">1<' in html


@pytest.mark.django_db
def test_someone_elses_notification_cannot_be_marked(signed_in):
    other = notify(UserFactory())
    response = signed_in.post(reverse("reminders:notification_read", args=[other.pk]))
    assert response.status_code == 404
    other.refresh_from_db()
    assert not other.is_read


@pytest.mark.django_db
def test_marking_read_is_post_only(signed_in, project_lead):
    notification = notify(project_lead)
    response = signed_in.get(reverse("reminders:notification_read", args=[notification.pk]))
    assert response.status_code == 405


@pytest.mark.django_db
def test_mark_all_read_clears_the_count(signed_in, project_lead):
    notify(project_lead)
    notify(project_lead)
    others = notify(UserFactory())
    response = signed_in.post(reverse("reminders:notifications_read_all"), follow=True)
    assert response.context["unread_notification_count"] == 0
    assert not Notification.objects.filter(user=project_lead, read_at__isnull=True)
    others.refresh_from_db()
    assert not others.is_read


@pytest.mark.django_db
def test_opening_a_notification_marks_it_read_and_follows_its_link(signed_in, project_lead):
    notification = notify(project_lead, url="/contracts/")
    response = signed_in.get(reverse("reminders:notification_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/contracts/"
    notification.refresh_from_db()
    assert notification.is_read


@pytest.mark.django_db
def test_the_inbox_needs_a_login(client):
    response = client.get(reverse(INBOX))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.django_db
def test_the_inbox_query_count_does_not_grow_with_notifications(
    signed_in, project_lead, django_assert_max_num_queries
):
    for n in range(20):
        notify(project_lead, f"N{n}")
    with django_assert_max_num_queries(12):
        signed_in.get(reverse(INBOX))

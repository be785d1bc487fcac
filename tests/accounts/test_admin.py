"""The user admin shows each person's roles."""

from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory


def test_user_list_shows_each_users_roles(admin_client):
    UserFactory(username="olivia", role="Operations managers")

    response = admin_client.get(reverse("admin:auth_user_changelist"), {"q": "olivia"})

    [row] = response.context["cl"].result_list
    assert response.context["cl"].model_admin.roles(row) == "Operations managers"
    assert "Operations managers" in response.content.decode()


def test_user_list_queries_do_not_grow_with_users(admin_client):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(reverse("admin:auth_user_changelist")).status_code == 200
        return len(queries)

    UserFactory(role="Viewers")
    one = count_queries()
    for role in ("Viewers", "Project leads", "Operations managers"):
        UserFactory(role=role)
    assert get_user_model().objects.count() == 5
    assert count_queries() == one

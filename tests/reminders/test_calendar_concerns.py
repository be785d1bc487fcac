"""Who a deadline concerns, in SQL (`Trigger.concerning`), agrees with who it is sent to
(`resolve_recipients`): the calendar feed reads only a user's rows, and must find the same
deadlines as the reminders' rule applied to every deadline of the portfolio."""

from __future__ import annotations

import random

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import OPERATIONS_MANAGERS
from reminders.selectors import deadlines_concerning, deadlines_for_user
from reminders.triggers import TRIGGERS
from tests.clock import TODAY
from tests.factories import UserFactory
from tests.transition.factories import MilestoneFactory, OutsourcedProcessFactory
from tests.web.test_deadlines_agree import random_portfolio

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_today")]


def keys(deadlines) -> list[tuple[str, int, object]]:
    return [(deadline.kind, deadline.obj.pk, deadline.due) for deadline in deadlines]


def test_every_users_deadlines_in_sql_are_those_the_reminders_send_them():
    random_portfolio(random.Random(7))
    # A deactivated owner or lead hands deadlines on (a milestone's to its process lead,
    # the rest to the fallback group): the rule's every branch is in play.
    get_user_model().objects.filter(username="person3").update(is_active=False)
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    people = [*get_user_model().objects.filter(username__startswith="person", is_active=True)]
    seen_kinds = set()
    for user in [*people, ops]:
        expected = keys(deadlines_for_user(user, TODAY))
        assert keys(deadlines_concerning(user, TODAY)) == expected, user.username
        seen_kinds |= {kind for kind, _pk, _due in expected}
    assert seen_kinds == set(TRIGGERS)
    assert deadlines_concerning(ops, TODAY), "the fallback group is told what nobody else is"


@pytest.mark.parametrize(
    ("owner_active", "lead_is_user", "told"),
    [
        (True, True, "owner"),  # an active owner is told, the lead is not
        (False, True, "lead"),  # a deactivated owner: the process lead instead
        (False, False, "fallback"),  # nobody active: the fallback group
    ],
)
def test_a_milestone_goes_to_its_owner_else_its_lead_else_the_fallback_group(
    owner_active, lead_is_user, told
):
    owner = UserFactory(username="owner", is_active=owner_active)
    lead = UserFactory(username="lead")
    ops = UserFactory(username="ops", role=OPERATIONS_MANAGERS)
    process = OutsourcedProcessFactory(lead=lead if lead_is_user else None)
    milestone = MilestoneFactory(process=process, owner=owner, due_date=TODAY)
    holders = {
        name
        for name, user in {"owner": owner, "lead": lead, "fallback": ops}.items()
        if user.is_active and any(d.obj == milestone for d in deadlines_concerning(user, TODAY))
    }
    assert holders == {told}


def test_an_inactive_user_is_concerned_by_nothing():
    user = UserFactory(is_active=False)
    MilestoneFactory(owner=user, due_date=TODAY)
    assert deadlines_concerning(user, TODAY) == []

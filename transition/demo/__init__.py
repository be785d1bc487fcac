"""The demo programme: Northwind Retail bringing outsourced operations back in-house.

Every date is computed from today, so whenever the demo is loaded there is a notice
deadline coming up, milestones overdue and processes at every step of the workflow.
Everything is written through the services the pages use, and processes move through
`apply_transition`, so the event log and history are those of real use.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS
from contracts.models import Contract
from core.clock import local_today
from core.signals import demo_programme_created
from currencies.services import LoadResult, load_sample_rates

from ..models import Programme
from .programme import PROGRAMME_NAME, programme_build
from .register import URGENT_WINDOW_DAYS, register_build

__all__ = ["DEMO_USERS", "PROGRAMME_NAME", "URGENT_WINDOW_DAYS", "Login", "SeedResult", "seed_demo"]

EMAIL_DOMAIN = "northwind-retail.example"
SUPERUSER_ROLE = "Superuser"


@dataclass(frozen=True)
class DemoUser:
    """A demo login; `group` is None for the superuser."""

    key: str
    username: str
    first_name: str
    last_name: str
    group: str | None
    role: str


DEMO_USERS = (
    DemoUser("admin", "admin", "Ada", "Admin", None, SUPERUSER_ROLE),
    DemoUser("ops", "olivia", "Olivia", "Hart", OPERATIONS_MANAGERS, "Operations manager"),
    DemoUser("lead", "liam", "Liam", "Brennan", PROJECT_LEADS, "Project lead"),
    DemoUser("lead2", "priya", "Priya", "Raman", PROJECT_LEADS, "Project lead"),
    DemoUser("viewer", "victor", "Victor", "Osei", VIEWERS, "Viewer"),
)


@dataclass(frozen=True)
class Login:
    """A demo user as the command prints it; `password` is None when it was not changed."""

    username: str
    role: str
    password: str | None


@dataclass(frozen=True)
class SeedResult:
    """What a run of `seed_demo` did; the urgent fields are set only when it created data."""

    created: bool
    logins: list[Login]
    programme: Programme
    rates: LoadResult  # the shipped ECB sample rates, loaded every run (writes nothing again)
    urgent_contract: Contract | None = None
    urgent_deadline: date | None = None


def seed_demo(*, reset_passwords: bool = False) -> SeedResult:
    """Load the demo once: users always exist afterwards, the programme is never duplicated."""
    with transaction.atomic():
        users, logins = _ensure_users(reset_passwords=reset_passwords)
        # The portfolio mixes GBP, EUR and USD: real ECB rates let its totals be converted
        # (docs/money.md, "Exchange rates"). Loading them again writes nothing.
        rates = load_sample_rates()
        # The programme's unique name marks the demo as loaded; providers and contracts
        # are matched by their own natural keys inside register_build.
        programme = Programme.objects.filter(name=PROGRAMME_NAME).first()
        if programme is not None:
            return SeedResult(created=False, logins=logins, programme=programme, rates=rates)
        today = local_today()
        contracts = register_build(actor=users["ops"], today=today)
        programme = programme_build(users=users, contracts=contracts, today=today)
        demo_programme_created.send(sender=Programme, programme=programme, users=users, today=today)
        urgent = contracts["returns"]
        deadline = urgent.next_notice_deadline()
        low, high = URGENT_WINDOW_DAYS
        if deadline is None or not low <= (deadline - today).days <= high:
            # Only possible with a contract of that reference left from older data.
            raise RuntimeError(f"{urgent} has its next notice deadline on {deadline}.")
        return SeedResult(
            created=True,
            logins=logins,
            programme=programme,
            rates=rates,
            urgent_contract=urgent,
            urgent_deadline=deadline,
        )


def _ensure_users(*, reset_passwords: bool):
    """Create missing demo users with fresh passwords; keep existing passwords unless reset."""
    user_model = get_user_model()
    users, logins = {}, []
    for spec in DEMO_USERS:
        user = user_model.objects.filter(username=spec.username).first()
        password = secrets.token_urlsafe(12) if user is None or reset_passwords else None
        if user is None:
            create = (
                user_model.objects.create_user
                if spec.group
                else user_model.objects.create_superuser
            )
            user = create(
                username=spec.username,
                email=f"{spec.username}@{EMAIL_DOMAIN}",
                password=password,
                first_name=spec.first_name,
                last_name=spec.last_name,
            )
        elif password is not None:
            user.set_password(password)
            user.save(update_fields=["password"])
        if spec.group:
            user.groups.add(Group.objects.get(name=spec.group))
        users[spec.key] = user
        logins.append(Login(spec.username, spec.role, password))
    return users, logins

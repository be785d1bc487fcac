"""A believable portfolio of any size, built in bulk for the benchmark (docs/performance.md).

Scale 1 is "dataset L": 500 providers, 20,000 contracts in EUR/GBP/USD, 10,000 processes in
about 50 programmes (the biggest holds a tenth of them), 100,000 milestones with about
44,000 finish-to-start dependencies within a process, 20,000 assets, 2,000 staff and a
readiness assessment per process. Everything scales linearly; the same seed and the same
day give the same rows.

Rows go in with `bulk_create` in batches, so model `save()` and services do not run; the
rules they would apply are applied here instead: dates in order, the process's currency
taken from its contract, each state with the fields the workflow would have set (the exit
notice and its exit date from the date engine, events for each transition, milestones done
only after their predecessors, assets and staff settled before a process is in-house).
The database's CHECK constraints reject anything else. Contracts, processes, exit
notices and staff get their "created" history row (`bulk_create_with_history`); milestones
and assets have no history model.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from simple_history.utils import bulk_create_with_history

from accounts.roles import OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS
from contracts import dates
from contracts.models import Contract, ExitNotice, ServiceProvider
from core.clock import local_today
from currencies.services import load_sample_rates

from ..models import (
    Asset,
    Milestone,
    OutsourcedProcess,
    ProcessEvent,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

BATCH = 2000
MAX_SCALE = 5
REFERENCE_PREFIX = "PF-"
BENCH_USERNAME = "bench"
CALENDAR_USERNAME = "calendar"
CALENDAR_DEADLINES = 200
EMAIL_DOMAIN = "portfolio.example"

State = OutsourcedProcess.State
# Share of processes in each workflow state.
STATE_WEIGHTS = (
    (State.OUTSOURCED, 55),
    (State.EXIT_NOTICE, 15),
    (State.TRANSITION, 20),
    (State.IN_HOUSE, 10),
)
CURRENCY_WEIGHTS = (("EUR", 50), ("GBP", 30), ("USD", 20))
COUNTRIES = ("", "", "GB", "DE", "FR")
MILESTONE_STEPS = (
    ("Exit plan agreed", Milestone.Kind.PLANNING),
    ("Knowledge capture", Milestone.Kind.KNOWLEDGE_TRANSFER),
    ("Shadowing", Milestone.Kind.KNOWLEDGE_TRANSFER),
    ("Asset inventory", Milestone.Kind.ASSET_TRANSFER),
    ("Staff consultation", Milestone.Kind.STAFF_TRANSFER),
    ("Data migration", Milestone.Kind.SYSTEMS_DATA),
    ("Systems cut-over rehearsal", Milestone.Kind.SYSTEMS_DATA),
    ("Parallel run", Milestone.Kind.PARALLEL_RUN),
    ("Go-live", Milestone.Kind.GO_LIVE),
    ("Hypercare closed", Milestone.Kind.OTHER),
)
DEPENDENCY_SHARE = 0.489  # of milestones after the first: ~44,000 edges at scale 1
WORDS = [
    "Acme",
    "Apex",
    "Atlas",
    "Beacon",
    "Blue",
    "Cedar",
    "Cobalt",
    "Delta",
    "Eagle",
    "Ember",
    "Falcon",
    "Granite",
    "Harbour",
    "Helix",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Maple",
    "Meridian",
    "Nimbus",
    "Northwind",
    "Oak",
    "Onyx",
    "Orbit",
    "Pine",
    "Quartz",
    "Raven",
    "Sable",
    "Silver",
    "Summit",
    "Tandem",
    "Titan",
    "Umber",
    "Vertex",
    "Willow",
    "Zenith",
]
TRADES = [
    "Logistics",
    "Payroll",
    "Services",
    "Manufacturing",
    "Facilities",
    "IT",
    "Support",
    "Fulfilment",
    "Contact",
    "Centre",
    "Finance",
    "Outsourcing",
    "Engineering",
    "Data",
    "Cloud",
    "Security",
]
PROCESS_NAMES: dict[str, str] = {
    OutsourcedProcess.Category.MANUFACTURING: "Contract manufacturing",
    OutsourcedProcess.Category.FULFILMENT: "Warehouse fulfilment",
    OutsourcedProcess.Category.IT: "IT service desk",
    OutsourcedProcess.Category.CUSTOMER_SERVICE: "Customer contact centre",
    OutsourcedProcess.Category.FINANCE: "Payroll",
    OutsourcedProcess.Category.FACILITIES: "Facilities management",
    OutsourcedProcess.Category.OTHER: "Document processing",
}


class PortfolioExists(Exception):
    """The database already holds a generated portfolio (or its users)."""


@dataclass(frozen=True)
class Sizes:
    """How many rows of each kind a scale means."""

    providers: int
    contracts: int
    programmes: int
    processes: int
    milestones_per_process: int
    assets: int
    staff: int
    operations_managers: int
    leads: int
    viewers: int

    @classmethod
    def for_scale(cls, scale: float) -> Sizes:
        def n(full: int, least: int) -> int:
            return max(least, round(full * scale))

        processes = n(10_000, 20)
        return cls(
            providers=n(500, 5),
            contracts=max(n(20_000, 40), 2 * processes),
            programmes=n(50, 2),
            processes=processes,
            milestones_per_process=10,
            assets=n(20_000, 40),
            staff=n(2_000, 4),
            operations_managers=n(10, 2),
            leads=n(100, 3),
            viewers=n(20, 1),
        )


@dataclass
class BuildReport:
    """Counts per model and seconds per step, for the command to print."""

    sizes: Sizes
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    dependencies: int = 0

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


def _weighted(rng: random.Random, pairs: Sequence[tuple[str, int]]) -> str:
    return rng.choices([value for value, _ in pairs], weights=[w for _, w in pairs])[0]


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high, 100))


class PortfolioBuilder:
    """Builds one portfolio; `build()` runs every step in order inside one transaction."""

    def __init__(self, *, scale: float, seed: int, password: str, today: date | None = None):
        if not 0 < scale <= MAX_SCALE:
            raise ValueError(f"scale must be above 0 and at most {MAX_SCALE}, not {scale}")
        self.sizes = Sizes.for_scale(scale)
        # Reproducible test data, not secrets.
        self.rng = random.Random(seed)  # noqa: S311
        self.password = password
        self.today = today or local_today()
        self.report = BuildReport(self.sizes)

    def d(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def build(self, progress: Callable[[str], None] = lambda _: None) -> BuildReport:
        user_model = get_user_model()
        taken = user_model.objects.filter(username__in=[BENCH_USERNAME, CALENDAR_USERNAME])
        if (
            taken.exists()
            or Contract.objects.filter(reference__startswith=REFERENCE_PREFIX).exists()
        ):
            raise PortfolioExists(
                "This database already holds a generated portfolio: build into an empty one."
            )
        steps = (
            ("rates", self._rates),
            ("users", self._users),
            ("providers", self._providers),
            ("contracts", self._contracts),
            ("programmes", self._programmes),
            ("processes", self._processes),
            ("notices", self._notices),
            ("plans", self._plans),
        )
        with transaction.atomic():
            for name, step in steps:
                started = time.perf_counter()
                step()
                self.report.seconds[name] = time.perf_counter() - started
                progress(f"{name}: {self.report.seconds[name]:.1f} s")
        return self.report

    # Steps

    def _rates(self) -> None:
        self.report.counts["exchange rates"] = load_sample_rates().written

    def _users(self) -> None:
        user_model = get_user_model()
        groups = {
            name: Group.objects.get_or_create(name=name)[0]
            for name in (OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS)
        }
        specs = [(BENCH_USERNAME, OPERATIONS_MANAGERS, "Bench", "Operations")]
        specs += [
            (f"ops-{i:03d}", OPERATIONS_MANAGERS, "Operations", f"Manager {i}")
            for i in range(1, self.sizes.operations_managers)
        ]
        specs += [
            (f"lead-{i:04d}", PROJECT_LEADS, "Project", f"Lead {i}")
            for i in range(1, self.sizes.leads + 1)
        ]
        specs += [
            (f"viewer-{i:03d}", VIEWERS, "Viewer", str(i)) for i in range(1, self.sizes.viewers + 1)
        ]
        specs.append((CALENDAR_USERNAME, PROJECT_LEADS, "Calendar", "Lead"))
        users = []
        for username, _group, first, last in specs:
            user = user_model(
                username=username,
                email=f"{username}@{EMAIL_DOMAIN}",
                first_name=first,
                last_name=last,
            )
            user.set_unusable_password()
            users.append(user)
        # One real hash only: the login the benchmark uses.
        users[0].set_password(self.password)
        user_model.objects.bulk_create(users, batch_size=BATCH)
        created = {
            user.username: user
            for user in user_model.objects.filter(username__in=[s[0] for s in specs])
        }
        memberships = [
            user_model.groups.through(user_id=created[username].pk, group_id=groups[group].pk)
            for username, group, _first, _last in specs
        ]
        user_model.groups.through.objects.bulk_create(memberships, batch_size=BATCH)
        self.bench = created[BENCH_USERNAME]
        self.calendar_user = created[CALENDAR_USERNAME]
        self.ops = [created[s[0]] for s in specs if s[1] == OPERATIONS_MANAGERS]
        self.leads = [
            created[s[0]] for s in specs if s[1] == PROJECT_LEADS and s[0] != CALENDAR_USERNAME
        ]
        self.report.counts["users"] = len(users)

    def _providers(self) -> None:
        rng = self.rng
        providers = []
        for i in range(self.sizes.providers):
            name = f"{rng.choice(WORDS)} {rng.choice(TRADES)} {i + 1:04d} Ltd"
            slug = name.split()[0].lower()
            providers.append(
                ServiceProvider(
                    name=name,
                    legal_name=name.replace(" Ltd", " Limited"),
                    country=rng.choice(("GB", "DE", "FR", "IE", "NL", "PL", "IN", "US")),
                    contact_name=f"{rng.choice(WORDS)} Account Manager",
                    contact_email=f"accounts@{slug}{i + 1}.example",
                )
            )
        self.providers = ServiceProvider.objects.bulk_create(providers, batch_size=BATCH)
        self.report.counts["providers"] = len(providers)

    def _contract(self, i: int, *, backsourced: bool) -> Contract:
        rng = self.rng
        start = self.d(-rng.randint(200, 2400))
        automatic = backsourced or rng.random() < 0.6
        months = rng.choice((12, 24, 36, 48, 60))
        in_days = rng.random() < 0.3
        country = rng.choice(COUNTRIES)
        currency = _weighted(rng, CURRENCY_WEIGHTS)
        value = _money(rng, 20_000, 5_000_000)
        return Contract(
            provider=rng.choice(self.providers),
            reference=f"{REFERENCE_PREFIX}{i + 1:06d}",
            title=f"{rng.choice(TRADES)} services {i + 1}",
            owner=rng.choice(self.ops),
            start_date=start,
            end_date=dates.add_months(start, months) - timedelta(days=1),
            renewal=Contract.Renewal.AUTOMATIC if automatic else Contract.Renewal.NONE,
            renewal_term_months=12 if automatic else None,
            notice_period=rng.choice((30, 60, 90)) if in_days else rng.choice((1, 3, 6)),
            notice_unit=Contract.NoticeUnit.DAYS if in_days else Contract.NoticeUnit.MONTHS,
            notice_method=rng.choice(Contract.NoticeMethod.values),
            notice_transit_days=rng.choice((0, 0, 2, 3)),
            termination_clause=f"clause {rng.randint(12, 24)}.{rng.randint(1, 5)}",
            governing_country=country,
            annual_value=value,
            currency=currency,
            termination_fee=(value / 10).quantize(Decimal(1)),
            annual_indexation=Decimal(rng.choice((0, 2, 3))),
            exit_assistance_months=rng.choice((0, 3, 6)),
            decision_lead_days=rng.choice((60, 90, 120)),
        )

    def _contracts(self) -> None:
        # Every other contract carries a process being brought back; the rest are only in
        # the register (some long expired without renewal, as real registers have).
        contracts = [self._contract(i, backsourced=i % 2 == 0) for i in range(self.sizes.contracts)]
        for contract in contracts:  # bulk_create skips Contract.save(), which stores them
            contract.store_notice_dates(self.today)
        self.contracts = bulk_create_with_history(
            contracts, Contract, batch_size=BATCH, default_user=self.bench
        )
        self.report.counts["contracts"] = len(contracts)

    def _programmes(self) -> None:
        rng = self.rng
        programmes = [
            Programme(
                name=f"Programme {i + 1:03d}: {rng.choice(WORDS)} {rng.choice(TRADES)}",
                description="Generated for the benchmark (docs/performance.md).",
                sponsor=rng.choice(self.ops),
                start_date=self.d(-rng.randint(100, 600)),
                target_date=self.d(rng.randint(200, 900)),
                budget=_money(rng, 1_000_000, 50_000_000),
                currency=_weighted(rng, CURRENCY_WEIGHTS),
            )
            for i in range(self.sizes.programmes)
        ]
        self.programmes = Programme.objects.bulk_create(programmes, batch_size=BATCH)
        self.report.counts["programmes"] = len(programmes)

    def _programme_of(self, i: int) -> Programme:
        # The first programme holds a tenth of the processes (the big Gantt); the others
        # share the rest.
        biggest = self.sizes.processes // 10
        if i < biggest:
            return self.programmes[0]
        return self.programmes[1 + (i - biggest) % (len(self.programmes) - 1)]

    def _processes(self) -> None:
        rng = self.rng
        processes = []
        for i in range(self.sizes.processes):
            state = _weighted(rng, STATE_WEIGHTS)
            contract = self.contracts[2 * i]
            category = rng.choice(OutsourcedProcess.Category.values)
            moving = state != State.OUTSOURCED
            costed = moving or rng.random() < 0.8
            outsourced_cost = _money(rng, 50_000, 3_000_000) if costed else None
            processes.append(
                OutsourcedProcess(
                    programme=self._programme_of(i),
                    contract=contract,
                    name=f"{PROCESS_NAMES[category]} {i + 1:05d}",
                    category=category,
                    criticality=rng.choice(OutsourcedProcess.Criticality.values),
                    owner=rng.choice(self.ops),
                    lead=rng.choice(self.leads) if moving or rng.random() < 0.7 else None,
                    currency=contract.currency,
                    annual_outsourced_cost=outsourced_cost,
                    projected_inhouse_annual_cost=(outsourced_cost * Decimal("0.8")).quantize(
                        Decimal(1)
                    )
                    if outsourced_cost
                    else None,
                    one_off_transition_cost=_money(rng, 20_000, 800_000) if costed else None,
                    target_in_house_date=self.d(rng.randint(-200, 700)),
                    state=state,
                )
            )
        self.processes = bulk_create_with_history(
            processes, OutsourcedProcess, batch_size=BATCH, default_user=self.bench
        )
        self.report.counts["processes"] = len(processes)

    def _notices(self) -> None:
        """Exit notices and workflow events for every process past "outsourced"."""
        rng = self.rng
        served_days = {
            State.EXIT_NOTICE: (20, 300),
            State.TRANSITION: (200, 500),
            State.IN_HOUSE: (500, 900),
        }
        notices, moved = [], []
        for process in self.processes:
            if process.state == State.OUTSOURCED:
                continue
            contract = process.contract
            served_on = self.d(-rng.randint(*served_days[process.state]))
            exit_date = dates.exit_date_if_served(contract.terms, served_on)
            notices.append(
                ExitNotice(
                    contract=contract,
                    scope=ExitNotice.Scope.WHOLE,
                    served_on=served_on,
                    dispatched_on=served_on - timedelta(days=contract.notice_transit_days + 1),
                    method=contract.notice_method,
                    recipient=contract.provider.contact_name,
                    signed_by=self.bench.get_full_name(),
                    exit_date=exit_date,
                    served_by=self.bench,
                )
            )
            moved.append(process)
        notices = bulk_create_with_history(
            notices, ExitNotice, batch_size=BATCH, default_user=self.bench
        )
        events = []
        for process, notice in zip(moved, notices, strict=True):
            process.exit_notice = notice
            process.notice_served_on = notice.served_on
            process.exit_date = notice.exit_date
            events.append(
                self._event(
                    process,
                    "serve_exit_notice",
                    State.OUTSOURCED,
                    State.EXIT_NOTICE,
                    self.bench,
                    notice,
                )
            )
            if process.state in (State.TRANSITION, State.IN_HOUSE):
                events.append(
                    self._event(
                        process,
                        "start_transition",
                        State.EXIT_NOTICE,
                        State.TRANSITION,
                        process.lead,
                    )
                )
            if process.state == State.IN_HOUSE:
                process.in_house_on = min(
                    self.d(-1), notice.served_on + timedelta(days=rng.randint(200, 400))
                )
                events.append(
                    self._event(process, "complete", State.TRANSITION, State.IN_HOUSE, process.lead)
                )
        OutsourcedProcess.objects.bulk_update(
            moved, ["exit_notice", "notice_served_on", "exit_date", "in_house_on"], batch_size=BATCH
        )
        ProcessEvent.objects.bulk_create(events, batch_size=BATCH)
        self.report.counts["exit notices"] = len(notices)
        self.report.counts["process events"] = len(events)

    @staticmethod
    def _event(process, name, source, target, actor, notice=None) -> ProcessEvent:
        return ProcessEvent(
            process=process,
            transition=name,
            source=source,
            target=target,
            actor=actor,
            notice=notice,
        )

    def _base(self, process: OutsourcedProcess) -> date:
        """The first milestone's start: the plan runs 150 days from here."""
        rng = self.rng
        if process.state == State.IN_HOUSE:
            finished = process.in_house_on or self.today
            return finished - timedelta(days=150 + rng.randint(0, 60))
        if process.state == State.TRANSITION:
            return self.d(-rng.randint(30, 140))
        if process.state == State.EXIT_NOTICE:
            return self.d(rng.randint(-10, 60))
        return self.d(rng.randint(20, 500))

    def _plans(self) -> None:
        rng = self.rng
        milestones: list[Milestone] = []
        chains: list[list[Milestone]] = []
        assets: list[Asset] = []
        staff: list[StaffMember] = []
        readiness: list[ReadinessAssessment] = []
        assets_per_process = self.sizes.assets / self.sizes.processes
        staff_every = max(1, round(self.sizes.processes / self.sizes.staff))
        for i, process in enumerate(self.processes):
            base = self._base(process)
            chain = []
            for k, (title, kind) in enumerate(MILESTONE_STEPS[: self.sizes.milestones_per_process]):
                start = base + timedelta(days=15 * k)
                due = start + timedelta(days=12)
                done = process.state == State.IN_HOUSE or (
                    process.state == State.TRANSITION and due < self.d(-3)
                )
                if done:
                    status = Milestone.Status.DONE
                elif process.state == State.TRANSITION and start <= self.today:
                    status = rng.choice(
                        (
                            Milestone.Status.IN_PROGRESS,
                            Milestone.Status.IN_PROGRESS,
                            Milestone.Status.BLOCKED,
                        )
                    )
                else:
                    status = Milestone.Status.PLANNED
                chain.append(
                    Milestone(
                        process=process,
                        title=title,
                        kind=kind,
                        owner=process.lead if process.lead and rng.random() < 0.7 else None,
                        start_date=start,
                        due_date=due,
                        status=status,
                        completed_on=min(due, self.d(-1)) if done else None,
                    )
                )
            chains.append(chain)
            milestones.extend(chain)
            for a in range(int(assets_per_process * (i + 1)) - int(assets_per_process * i)):
                assets.append(self._asset(process, base, a))
            if i % staff_every == 0 and len(staff) < self.sizes.staff:
                staff.append(self._staff(process, base))
            readiness.append(self._readiness(process))
        self._give_calendar_user(milestones)
        Milestone.objects.bulk_create(milestones, batch_size=BATCH)
        edges = []
        through = Milestone.depends_on.through
        for chain in chains:
            for earlier, later in zip(chain, chain[1:], strict=False):
                if rng.random() < DEPENDENCY_SHARE:
                    edges.append(through(from_milestone_id=later.pk, to_milestone_id=earlier.pk))
        through.objects.bulk_create(edges, batch_size=BATCH)
        Asset.objects.bulk_create(assets, batch_size=BATCH)
        # Staff have a history (personal data, docs/operations.md "Privacy"): a "created" row
        # each, as a real import writes.
        bulk_create_with_history(staff, StaffMember, batch_size=BATCH, default_user=self.bench)
        ReadinessAssessment.objects.bulk_create(readiness, batch_size=BATCH)
        self.report.counts.update(
            {
                "milestones": len(milestones),
                "dependencies": len(edges),
                "assets": len(assets),
                "staff": len(staff),
                "readiness assessments": len(readiness),
            }
        )
        self.report.dependencies = len(edges)

    def _give_calendar_user(self, milestones: list[Milestone]) -> None:
        """The calendar user owns ~200 open milestones ahead and nothing else, so their feed
        holds exactly that many deadlines at every scale that has enough milestones."""
        open_ahead = [
            m for m in milestones if m.status != Milestone.Status.DONE and m.due_date >= self.today
        ]
        wanted = min(CALENDAR_DEADLINES, len(open_ahead) // 3)
        for milestone in self.rng.sample(open_ahead, wanted):
            milestone.owner = self.calendar_user
        self.report.counts["calendar deadlines"] = wanted

    def _asset(self, process: OutsourcedProcess, base: date, n: int) -> Asset:
        rng = self.rng
        method = rng.choice(Asset.TransferMethod.values)
        due = base + timedelta(days=rng.randint(30, 140))
        if method == Asset.TransferMethod.NOT_NEEDED:
            status, on = Asset.Status.NOT_NEEDED, None
        elif process.state == State.IN_HOUSE or (
            process.state == State.TRANSITION and due < self.today
        ):
            status, on = Asset.Status.TRANSFERRED, min(due, self.d(-1))
        elif process.state == State.TRANSITION:
            status, on = Asset.Status.IN_PROGRESS, None
        else:
            status, on = Asset.Status.TO_TRANSFER, None
        return Asset(
            process=process,
            name=f"{Asset.Category(rng.choice(Asset.Category.values)).label} {n + 1}",
            tag=f"AS-{process.pk}-{n + 1}",
            category=rng.choice(Asset.Category.values),
            transfer_method=method,
            book_value=_money(rng, 1_000, 500_000),
            currency=process.currency,
            transfer_due=due,
            status=status,
            transferred_on=on,
        )

    def _staff(self, process: OutsourcedProcess, base: date) -> StaffMember:
        rng = self.rng
        if process.state == State.IN_HOUSE:
            status = StaffMember.Status.ONBOARDED
        else:
            status = rng.choice(StaffMember.ELI_PENDING_STATUSES)
        return StaffMember(
            process=process,
            name=f"{rng.choice(WORDS)} {rng.choice(WORDS)}son",
            role=rng.choice(("Analyst", "Engineer", "Team lead", "Operator", "Specialist")),
            route=rng.choice(StaffMember.Route.values),
            fte=Decimal(rng.choice(("1", "1", "0.5", "0.8"))),
            annual_cost=_money(rng, 30_000, 120_000),
            currency=process.currency,
            key_person=rng.random() < 0.1,
            status=status,
            planned_start=base + timedelta(days=rng.randint(60, 150)),
        )

    def _readiness(self, process: OutsourcedProcess) -> ReadinessAssessment:
        rng = self.rng
        low = 4 if process.state == State.IN_HOUSE else 2
        return ReadinessAssessment(
            process=process,
            assessed_on=self.d(-rng.randint(5, 200)),
            assessed_by=process.lead or self.bench,
            **{name: rng.randint(low, 5) for name in ReadinessAssessment.SCORE_FIELDS},
        )

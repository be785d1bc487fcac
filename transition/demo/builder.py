"""Building blocks of the demo: plan rows as short records, and a builder that writes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from contracts import dates
from contracts.models import Contract

from ..models import Asset, Milestone, OutsourcedProcess, Programme, ReadinessAssessment
from ..models import StaffMember as Staff
from ..services import (
    apply_transition,
    asset_save,
    case_inputs_update,
    freeze_create,
    milestone_save,
    notice_serve,
    process_create,
    readiness_record,
    staff_save,
)
from ..services.baselines import baseline_save

Kind = Milestone.Kind
Step = Milestone.Status
Cat = Asset.Category
Via = Asset.TransferMethod
Moved = Asset.Status
Route = Staff.Route
Joining = Staff.Status
Category = OutsourcedProcess.Category
Criticality = OutsourcedProcess.Criticality


def days(n: int) -> timedelta:
    return timedelta(days=n)


@dataclass(frozen=True)
class M:
    """A milestone to plan: `done` is its completion date; `after` names predecessors' keys."""

    key: str
    title: str
    kind: str
    due: date
    start: date | None = None
    status: str = Milestone.Status.PLANNED
    done: date | None = None
    after: tuple[str, ...] = ()
    override: str = ""  # an operations manager's reason to keep it inside a change freeze


@dataclass(frozen=True)
class A:
    """An asset to bring back; `on` is the day it transferred."""

    name: str
    category: str
    method: str
    due: date | None = None
    status: str = Asset.Status.TO_TRANSFER
    value: str = "0"
    on: date | None = None
    tag: str = ""


@dataclass(frozen=True)
class S:
    """A person joining the in-house team; annual cost in whole units of the process's currency."""

    name: str
    role: str
    route: str
    cost: int
    start: date | None
    status: str = Staff.Status.IDENTIFIED
    key: bool = False
    training: str = ""
    trained_on: date | None = None


class Builder:
    """Writes as the operations manager, so every event and history row names a real user."""

    def __init__(self, *, users, contracts: dict[str, Contract], programme: Programme, today: date):
        self.users = users
        self.ops = users["ops"]
        self.contracts = contracts
        self.programme = programme
        self.today = today

    def d(self, offset: int) -> date:
        return self.today + timedelta(days=offset)

    def process(self, contract: str, costs: tuple[str | None, ...], lead=None, **fields):
        outsourced, in_house, one_off = (Decimal(c) if c else None for c in costs)
        return process_create(
            actor=self.ops,
            programme=self.programme,
            contract=self.contracts[contract],
            owner=self.ops,
            lead=self.users[lead] if lead else None,
            annual_outsourced_cost=outsourced,
            projected_inhouse_annual_cost=in_house,
            one_off_transition_cost=one_off,
            **fields,
        )

    def case(self, process, **inputs: str | int):
        """The process's business-case assumptions beyond its three cost figures."""
        data = {k: Decimal(v) if isinstance(v, str) else v for k, v in inputs.items()}
        case_inputs_update(actor=self.ops, process=process, data=data)

    def readiness(self, process, assessed_on: date, scores: tuple[int, ...], notes=""):
        scores_by_field = dict(zip(ReadinessAssessment.SCORE_FIELDS, scores, strict=True))
        readiness_record(
            actor=self.ops, process=process, assessed_on=assessed_on, notes=notes, **scores_by_field
        )

    def plan(self, process, milestones=(), assets=(), staff=()):
        made = {}
        for m in milestones:
            made[m.key] = milestone_save(
                actor=self.ops,
                process=process,
                title=m.title,
                kind=m.kind,
                owner=process.lead or self.ops,
                start_date=m.start,
                due_date=m.due,
                status=Milestone.Status.DONE if m.done else m.status,
                completed_on=m.done,
                depends_on=[made[key] for key in m.after],
                freeze_override_reason=m.override or None,
            )
        for a in assets:
            asset_save(
                actor=self.ops,
                process=process,
                name=a.name,
                tag=a.tag,
                category=a.category,
                transfer_method=a.method,
                book_value=Decimal(a.value),
                transfer_due=a.due,
                status=a.status,
                transferred_on=a.on,
            )
        for s in staff:
            staff_save(
                actor=self.ops,
                process=process,
                name=s.name,
                role=s.role,
                route=s.route,
                annual_cost=Decimal(s.cost),
                key_person=s.key,
                status=s.status,
                planned_start=s.start,
                training_needed=s.training,
                training_completed_on=s.trained_on,
            )

    def freeze(self, name: str, starts_on: date, ends_on: date, reason: str):
        freeze_create(
            actor=self.ops,
            programme=self.programme,
            name=name,
            starts_on=starts_on,
            ends_on=ends_on,
            reason=reason,
        )

    def baseline(self, name: str, note: str, process=None):
        """A baseline of one process, or of the whole programme as planned so far."""
        subject = {"process": process} if process else {"programme": self.programme}
        baseline_save(actor=self.ops, name=name, note=note, **subject)

    def slip(self, milestone_title: str, process, due: date):
        """Move one milestone's due date, as its edit page does."""
        milestone = process.milestones.get(title=milestone_title)
        milestone_save(actor=self.ops, milestone=milestone, due_date=due)

    def serve(self, process, served_on: date, note: str) -> OutsourcedProcess:
        return apply_transition(
            process, "serve_exit_notice", self.ops, note=note, served_on=served_on
        )

    def serve_contract(
        self, contract: str, served_on: date, processes=(), proof: bytes | None = None, **details
    ) -> list[OutsourcedProcess]:
        """Serve notice on the contract, as its page does: the named processes, or all of
        them; return the processes, reloaded in their new state."""
        notice = notice_serve(
            actor=self.ops,
            contract=self.contracts[contract],
            served_on=served_on,
            processes=[p.pk for p in processes] or None,
            proof=(
                SimpleUploadedFile("proof-of-service.pdf", proof, "application/pdf")
                if proof
                else None
            ),
            **details,
        )
        return list(OutsourcedProcess.objects.filter(exit_notice=notice).order_by("pk"))

    def working_day(self, contract: str, day: date) -> date:
        """Notice goes out on a working day of the country whose law governs the contract."""
        return dates.previous_business_day(day, self.contracts[contract].governing_country)

    def served_before_deadline(self, contract: str, term_end: date, early: int) -> date:
        """About `early` days before the notice deadline that ends the contract at term_end."""
        deadline = dates.notice_deadline(self.contracts[contract].terms, term_end)
        return self.working_day(contract, deadline - timedelta(days=early))

    def complete(self, process, in_house_on: date):
        process = apply_transition(process, "start_transition", self.ops)
        apply_transition(
            process,
            "complete",
            self.ops,
            note="All milestones done, assets settled and staff onboarded.",
            in_house_on=in_house_on,
        )

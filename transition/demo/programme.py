"""The demo programme, and its processes still outsourced or under exit notice."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from contracts import dates
from contracts.models import Contract

from ..models import Programme
from ..services import programme_create
from .builder import (
    A,
    Builder,
    Cat,
    Category,
    Criticality,
    Joining,
    Kind,
    M,
    Route,
    S,
    Step,
    Via,
    days,
)
from .delivery import transition
from .exit_management import exit_management
from .in_house import in_house
from .proof import receipt_pdf

PROGRAMME_NAME = "Northwind Retail: bringing operations home"


def programme_build(*, users, contracts: dict[str, Contract], today: date) -> Programme:
    """Create the programme and its processes, moving each through the workflow service."""
    programme = programme_create(
        actor=users["ops"],
        name=PROGRAMME_NAME,
        description=(
            "Bring fulfilment, IT, payroll and customer service back in-house to regain "
            "control of service quality and cut run costs by a fifth. Process costs are "
            "annual, each in the currency of its contract: GBP, EUR or USD."
        ),
        sponsor=users["viewer"],
        start_date=today - timedelta(days=400),
        target_date=today + timedelta(days=420),
        budget=Decimal("4800000.00"),
    )
    builder = Builder(users=users, contracts=contracts, programme=programme, today=today)
    for build in (outsourced, exit_notice, transition, in_house):
        build(builder)
    # Last: it records against the notices' checklists and the processes' states above.
    exit_management(builder)
    return programme


def outsourced(b: Builder):
    d, contract = b.d, b.contracts["returns"]
    returns = b.process(
        "returns",
        ("860000", "690000", "310000"),
        name="Returns processing",
        description="Receipt, grading and restocking of online returns at Meridian's hub.",
        category=Category.FULFILMENT,
        criticality=Criticality.MEDIUM,
        target_in_house_date=contract.exit_date_if_served(b.today),
    )
    b.readiness(
        returns,
        d(-21),
        (3, 3, 4, 3, 4),
        "Grading know-how sits with two Meridian supervisors; no returns module in our WMS.",
    )
    deadline = contract.next_notice_deadline(b.today)
    decide_by = dates.previous_business_day(deadline - timedelta(days=5), "GB")
    b.plan(
        returns,
        milestones=[
            M(
                "decision",
                "Board decision: bring returns in-house",
                Kind.PLANNING,
                decide_by,
                d(-30),
                Step.IN_PROGRESS,
            ),
        ],
    )
    # No readiness assessment or in-house cost yet: serving notice shows why it is blocked.
    b.process(
        "contact_centre",
        ("420000", None, None),
        name="Social media and chat support",
        description="Customer care on chat, Instagram and Facebook, seven days a week.",
        category=Category.CUSTOMER_SERVICE,
        criticality=Criticality.LOW,
    )


def exit_notice(b: Builder):
    d, contract = b.d, b.contracts["payroll"]
    served_on = b.served_before_deadline("payroll", contract.end_date, 21)
    payroll = b.process(
        "payroll",
        ("640000", "455000", "380000"),
        lead="lead2",
        name="Payroll processing",
        description="Monthly payroll, year-end and statutory filings in three countries.",
        category=Category.FINANCE,
        criticality=Criticality.CRITICAL,
        target_in_house_date=contract.end_date,
    )
    b.readiness(payroll, d(-100), (3, 4, 3, 4, 3))
    # Notice on the whole contract, with the signed-for receipt as proof of service.
    dispatched_on = dates.previous_business_day(served_on - timedelta(days=2), "DE")
    [payroll] = b.serve_contract(
        "payroll",
        served_on,
        method=Contract.NoticeMethod.REGISTERED_POST,
        dispatched_on=dispatched_on,
        recipient="Stefanie Brandt, Lohnwerk Payroll Services GmbH",
        signed_by="Olivia Hart, Head of Operations",
        note="Notice of non-renewal sent by registered post.",
        proof=receipt_pdf(
            [
                "Registered post - proof of delivery",
                f"Sent {dispatched_on.isoformat()} to Lohnwerk Payroll Services GmbH, Hamburg",
                f"Delivered and signed for by S. Brandt on {served_on.isoformat()}",
                f"Re: contract {contract.reference}, notice of non-renewal",
            ]
        ),
    )
    exit_ = payroll.exit_date
    b.plan(
        payroll,
        milestones=[
            M("software", "Select payroll software", Kind.PLANNING, d(-35), done=d(-38)),
            M(
                "migration",
                "Payroll data migration plan",
                Kind.SYSTEMS_DATA,
                d(20),
                d(-30),
                Step.IN_PROGRESS,
                after=("software",),
            ),
            M(
                "parallel",
                "Two parallel payroll runs",
                Kind.PARALLEL_RUN,
                exit_ - days(10),
                exit_ - days(70),
                after=("migration",),
            ),
        ],
        assets=[
            A("Payroll history, seven years", Cat.DATA, Via.RETURN, exit_ - days(30)),
        ],
        staff=[
            S(
                "Katrin Vogel",
                "Senior payroll specialist (DE)",
                Route.TUPE,
                68000,
                exit_ + days(1),
                key=True,
            ),
            S(
                "Marieke de Boer",
                "Payroll manager",
                Route.NEW_HIRE,
                82000,
                exit_ - days(60),
                Joining.OFFERED,
            ),
        ],
    )

    contract = b.contracts["contact_centre"]
    served_on = b.working_day("contact_centre", d(-20))
    phone = b.process(
        "contact_centre",
        ("1900000", "1520000", "640000"),
        lead="lead",
        name="Customer service: phone and e-mail",
        description="Order, delivery and refund enquiries for stores and the webshop.",
        category=Category.CUSTOMER_SERVICE,
        criticality=Criticality.HIGH,
        target_in_house_date=contract.exit_date_if_served(served_on),
    )
    b.readiness(phone, d(-35), (4, 3, 4, 4, 4))
    # Notice on this process alone: social media and chat stay outsourced for now, so the
    # contract is partly under notice.
    [phone] = b.serve_contract(
        "contact_centre",
        served_on,
        processes=[phone],
        method=Contract.NoticeMethod.EMAIL,
        recipient="Dana Mitchell, Harborline Contact Centers, Inc.",
        signed_by="Olivia Hart, Head of Operations",
        note="Partial termination for convenience: phone, e-mail.",
    )
    exit_ = phone.exit_date
    b.plan(
        phone,
        milestones=[
            M(
                "site",
                "Sign the contact-centre lease in Leeds",
                Kind.ASSET_TRANSFER,
                d(25),
                d(-15),
                Step.IN_PROGRESS,
            ),
            M(
                "telephony",
                "Procure the cloud telephony platform",
                Kind.SYSTEMS_DATA,
                d(40),
                after=("site",),
            ),
            # Planned three days after the provider leaves: the schedule checks flag it.
            M(
                "go_live",
                "Go-live: customer calls answered in Leeds",
                Kind.GO_LIVE,
                exit_ + days(3),
                after=("telephony",),
            ),
        ],
        assets=[
            A("Call recordings archive", Cat.DATA, Via.RETURN, exit_),
            A(
                "Telephony seats (150 agents)",
                Cat.SOFTWARE_LICENCE,
                Via.NEW_PURCHASE,
                exit_ - days(21),
            ),
        ],
        staff=[
            S(
                "Ciara Walsh",
                "Contact-centre team leader",
                Route.TUPE,
                52000,
                exit_ + days(1),
                key=True,
            ),
        ],
    )

"""The demo's processes whose transition is under way."""

from __future__ import annotations

from contracts import dates
from contracts.models import Contract

from ..services import apply_transition
from .builder import (
    A,
    Builder,
    Cat,
    Category,
    Criticality,
    Joining,
    Kind,
    M,
    Moved,
    Route,
    S,
    Step,
    Via,
    days,
)
from .register import month_end


def transition(b: Builder):
    d = b.d
    term_end = month_end(dates.add_months(b.today, 3))
    served_on = b.served_before_deadline("fulfilment", term_end, 12)
    fulfilment = b.process(
        "fulfilment",
        ("4200000", "3350000", "1850000"),
        lead="lead",
        name="Midlands DC fulfilment",
        description="Pick, pack and dispatch of 60,000 order lines a day from Daventry.",
        category=Category.FULFILMENT,
        criticality=Criticality.CRITICAL,
        target_in_house_date=term_end,
    )
    b.case(
        fulfilment,
        termination_fee="250000",
        exit_assistance_cost="180000",
        tupe_cost="240000",
        stranded_cost="60000",
        dual_running_months=2,
        labour_cost_growth="3.5",
    )
    b.readiness(fulfilment, d(-200), (2, 2, 3, 2, 3), "No WMS skills or site managers.")
    # Served from the contract, as its page does, so the termination-assistance checklist
    # comes with the notice (transition/demo/exit_management.py records against it).
    [fulfilment] = b.serve_contract(
        "fulfilment",
        served_on,
        processes=[fulfilment],
        method=Contract.NoticeMethod.HAND_DELIVERY,
        recipient="Company secretary, Meridian Logistics Ltd",
        signed_by="Olivia Hart, Head of Operations",
        note="Served on Meridian's company secretary.",
    )
    exit_ = fulfilment.exit_date
    b.readiness(fulfilment, d(-30), (4, 3, 3, 3, 4), "Site managers have accepted.")
    # The stores' promotion weeks: no change to how orders flow, except the parallel run
    # that was chosen to see real peak volumes (an operations manager's override).
    b.freeze(
        "Spring promotion peak",
        exit_ - days(21),
        exit_ - days(8),
        "Three promotion weeks across all 260 stores: order volumes double.",
    )
    b.plan(
        fulfilment,
        milestones=[
            M(
                "plan",
                "Transition plan approved",
                Kind.PLANNING,
                d(-130),
                d(-150),
                done=d(-132),
            ),
            M(
                "lease",
                "Daventry site lease novated to Northwind",
                Kind.ASSET_TRANSFER,
                d(-60),
                d(-120),
                done=d(-64),
                after=("plan",),
            ),
            M(
                "buy_out",
                "Forklift and racking buy-out signed",
                Kind.ASSET_TRANSFER,
                d(-9),
                d(-60),
                Step.IN_PROGRESS,
                after=("plan",),
            ),
            M(
                "wms",
                "WMS data migration rehearsal",
                Kind.SYSTEMS_DATA,
                d(14),
                d(-30),
                Step.IN_PROGRESS,
                after=("plan",),
            ),
            M(
                "consultation",
                "TUPE consultation with warehouse staff",
                Kind.STAFF_TRANSFER,
                d(10),
                d(-45),
                Step.IN_PROGRESS,
            ),
            M(
                "parallel",
                "Parallel run over two peak weeks",
                Kind.PARALLEL_RUN,
                exit_ - days(7),
                exit_ - days(28),
                after=("buy_out", "wms", "consultation"),
                override=(
                    "Run in parallel through the promotion peak on purpose: it is the only "
                    "way to see Northwind handle real peak volumes before Meridian leaves."
                ),
            ),
            M(
                "go_live",
                "Go-live: Northwind runs the Midlands DC",
                Kind.GO_LIVE,
                exit_,
                after=("parallel",),
            ),
        ],
        assets=[
            A(
                "Daventry site lease",
                Cat.FACILITY,
                Via.NOVATION,
                d(-60),
                Moved.TRANSFERRED,
                on=d(-64),
            ),
            A(
                "Reach trucks (6)",
                Cat.EQUIPMENT,
                Via.BUY_OUT,
                d(-9),
                Moved.IN_PROGRESS,
                "96000",
                tag="MER-FLT-01..06",
            ),
            A(
                "Pallet racking, bays A–F",
                Cat.EQUIPMENT,
                Via.BUY_OUT,
                d(-9),
                Moved.IN_PROGRESS,
                "140000",
            ),
            A("WMS licences", Cat.SOFTWARE_LICENCE, Via.NOVATION, exit_),
            A("Parcel carrier contract", Cat.SUBCONTRACT, Via.NOVATION, exit_),
        ],
        staff=[
            S(
                "Gareth Price",
                "Site general manager",
                Route.TUPE,
                78000,
                exit_ + days(1),
                Joining.ACCEPTED,
                key=True,
            ),
            S(
                "Aisha Khan",
                "Night shift manager",
                Route.TUPE,
                51000,
                exit_ + days(1),
                Joining.ACCEPTED,
            ),
            S(
                "Tomasz Nowak",
                "Inventory controller",
                Route.TUPE,
                39000,
                exit_ + days(1),
                training="Cycle counting in the new WMS.",
            ),
            S(
                "Helen Carter",
                "Head of logistics engineering",
                Route.NEW_HIRE,
                95000,
                d(30),
                Joining.OFFERED,
                key=True,
            ),
        ],
    )
    apply_transition(fulfilment, "start_transition", b.ops, note="Kick-off with Meridian.")

    term_end = month_end(dates.add_months(b.today, 2))
    served_on = b.served_before_deadline("service_desk", term_end, 20)
    desk = b.process(
        "service_desk",
        ("1150000", "960000", "520000"),
        lead="lead2",
        name="IT service desk",
        description="First- and second-line support for 260 stores and head office.",
        category=Category.IT,
        criticality=Criticality.HIGH,
        target_in_house_date=term_end,
    )
    b.case(desk, exit_assistance_cost="90000", tupe_cost="45000", dual_running_months=1)
    b.readiness(desk, d(-90), (3, 3, 4, 4, 3))
    [desk] = b.serve_contract(
        "service_desk",
        served_on,
        processes=[desk],
        method=Contract.NoticeMethod.COURIER,
        recipient="Contract manager, Kestrel IT Services B.V.",
        signed_by="Olivia Hart, Head of Operations",
        note="E-mailed and couriered to Kestrel's contract manager.",
    )
    exit_ = desk.exit_date
    b.plan(
        desk,
        milestones=[
            M("plan", "Service desk transition plan", Kind.PLANNING, d(-50), done=d(-52)),
            M(
                "licences",
                "ITSM licences novated",
                Kind.SYSTEMS_DATA,
                d(-20),
                done=d(-20),
                after=("plan",),
            ),
            M(
                "knowledge",
                "Knowledge base export from Kestrel",
                Kind.KNOWLEDGE_TRANSFER,
                d(-5),
                d(-30),
                Step.BLOCKED,
                after=("plan",),
            ),
            M(
                "recruit",
                "Recruit second-line engineers",
                Kind.STAFF_TRANSFER,
                d(21),
                d(-40),
                Step.IN_PROGRESS,
            ),
            M(
                "shadow",
                "Shadowing on Kestrel's queues",
                Kind.KNOWLEDGE_TRANSFER,
                exit_ - days(14),
                d(7),
                after=("knowledge", "recruit"),
            ),
            M(
                "cutover",
                "Cut-over of phone line and portal",
                Kind.GO_LIVE,
                exit_,
                after=("shadow", "licences"),
            ),
        ],
        assets=[
            A(
                "ITSM fulfiller licences (120)",
                Cat.SOFTWARE_LICENCE,
                Via.NOVATION,
                d(-20),
                Moved.TRANSFERRED,
                on=d(-20),
            ),
            A("Knowledge base (3,400 articles)", Cat.DATA, Via.RETURN, d(-5)),
            A(
                "Spare laptop pool (40)",
                Cat.EQUIPMENT,
                Via.BUY_OUT,
                exit_ + days(14),
                value="18000",
                tag="KES-SPARE",
            ),
        ],
        staff=[
            S(
                "Sanne de Vries",
                "Service desk team lead",
                Route.TUPE,
                61000,
                exit_ + days(1),
                Joining.ACCEPTED,
                key=True,
            ),
            S(
                "Joost Bakker",
                "Second-line engineer",
                Route.TUPE,
                54000,
                exit_ + days(1),
                Joining.OFFERED,
            ),
            S(
                "Ravi Patel",
                "Service desk analyst",
                Route.REDEPLOYMENT,
                42000,
                d(14),
                Joining.ACCEPTED,
                training="ITIL 4 Foundation; the ITSM agent workspace.",
            ),
        ],
    )
    apply_transition(desk, "start_transition", b.ops, note="Plan agreed with Kestrel.")
    # The plan as agreed, then the slip that puts the desk at risk of not being ready
    # before Kestrel leaves (docs/demo-data.md, "The plan at risk").
    b.baseline("Plan agreed with Kestrel", "Signed off at the transition kick-off.", desk)
    b.baseline("Programme plan at kick-off", "Fulfilment and service desk plans as agreed.")
    b.slip("Recruit second-line engineers", desk, exit_ + days(10))

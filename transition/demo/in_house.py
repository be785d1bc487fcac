"""The demo processes already run in-house: how each came back, with its plan settled."""

from __future__ import annotations

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
    Via,
)


def in_house(b: Builder):
    d = b.d
    # Both processes left Kestrel by one termination for convenience eight months ago.
    served_on = b.working_day("euc", d(-240))
    devices = b.process(
        "euc",
        ("780000", "610000", "240000"),
        lead="lead",
        name="End-user device management",
        description="Build, enrolment and patching of 2,100 store and office devices.",
        category=Category.IT,
        criticality=Criticality.MEDIUM,
        target_in_house_date=d(-150),
    )
    b.case(devices, termination_fee="50000", exit_assistance_cost="30000")
    b.readiness(devices, d(-250), (4, 4, 4, 4, 5))
    devices = b.serve(devices, served_on, "Termination for convenience served on Kestrel.")
    b.plan(
        devices,
        milestones=[
            M("plan", "Device transition plan", Kind.PLANNING, d(-225), done=d(-228)),
            M(
                "tenant",
                "Device management tenant migrated",
                Kind.SYSTEMS_DATA,
                d(-190),
                done=d(-188),
                after=("plan",),
            ),
            M(
                "fleet",
                "Device fleet re-enrolled",
                Kind.ASSET_TRANSFER,
                d(-160),
                done=d(-161),
                after=("tenant",),
            ),
            M(
                "go_live",
                "Go-live: device support in-house",
                Kind.GO_LIVE,
                d(-150),
                done=d(-150),
                after=("fleet",),
            ),
        ],
        assets=[
            A(
                "Device configuration profiles",
                Cat.DATA,
                Via.RETURN,
                d(-185),
                Moved.TRANSFERRED,
                on=d(-186),
            ),
            A("Imaging server", Cat.EQUIPMENT, Via.NOT_NEEDED, status=Moved.NOT_NEEDED),
        ],
        staff=[
            S(
                "Lars Visser",
                "Endpoint engineer",
                Route.TUPE,
                58000,
                d(-179),
                Joining.ONBOARDED,
            ),
            S("Pieter Smit", "Endpoint engineer", Route.TUPE, 56000, d(-179), Joining.DECLINED),
            S(
                "Fatima El Amrani",
                "Device support analyst",
                Route.NEW_HIRE,
                44000,
                d(-200),
                Joining.ONBOARDED,
                training="Device management administrator course.",
                trained_on=d(-170),
            ),
        ],
    )
    b.complete(devices, d(-150))

    licences = b.process(
        "euc",
        ("310000", "220000", "90000"),
        lead="lead2",
        name="Software licence management",
        description="Entitlements, true-ups and renewals for 140 software products.",
        category=Category.IT,
        criticality=Criticality.LOW,
        target_in_house_date=d(-90),
    )
    b.case(licences, termination_fee="35000")
    b.readiness(licences, d(-245), (4, 5, 4, 4, 4))
    licences = b.serve(licences, served_on, "Served with the device management notice.")
    b.plan(
        licences,
        milestones=[
            M("baseline", "Licence entitlement baseline", Kind.PLANNING, d(-170), done=d(-172)),
            M(
                "tool",
                "Licence management tool handed over",
                Kind.SYSTEMS_DATA,
                d(-120),
                done=d(-118),
                after=("baseline",),
            ),
            M(
                "go_live",
                "First true-up run in-house",
                Kind.GO_LIVE,
                d(-90),
                done=d(-90),
                after=("tool",),
            ),
        ],
        assets=[
            A(
                "Licence management subscription",
                Cat.SOFTWARE_LICENCE,
                Via.NOVATION,
                d(-120),
                Moved.TRANSFERRED,
                on=d(-118),
            ),
        ],
        staff=[
            S(
                "Hannah Müller",
                "Software asset manager",
                Route.REDEPLOYMENT,
                63000,
                d(-130),
                Joining.ONBOARDED,
            ),
        ],
    )
    b.complete(licences, d(-90))

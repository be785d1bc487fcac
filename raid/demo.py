"""The demo's RAID log (docs/demo-data.md): added when the demo programme is created.

`transition/demo` sends `core.signals.demo_programme_created`; this app sits above
transition, so it adds its rows from a receiver (connected in `RaidConfig.ready()`),
through the same service as the pages.
"""

from __future__ import annotations

from datetime import timedelta

from .models import RaidItem
from .services import raid_item_save

Kind = RaidItem.Kind


def add_demo_raid_log(sender, *, programme, users, today, **kwargs) -> None:
    """Risks on the heat map (one high), an overdue action, an issue and a decision."""
    ops, lead, lead2 = users["ops"], users["lead"], users["lead2"]
    processes = {process.name: process for process in programme.processes.all()}
    desk = processes["IT service desk"]
    fulfilment = processes["Midlands DC fulfilment"]
    payroll = processes["Payroll processing"]

    def day(offset: int):
        return today + timedelta(days=offset)

    items = [
        dict(
            process=desk,
            kind=Kind.RISK,
            title="Second-line engineers not hired before Kestrel leaves",
            owner=lead2,
            probability=4,
            impact=5,
            due_date=day(7),
            mitigation="Contractors from the framework agreement for the first three months.",
        ),
        dict(
            process=desk,
            kind=Kind.ISSUE,
            title="Kestrel has not delivered the knowledge-base export",
            owner=lead2,
            severity=RaidItem.Severity.HIGH,
            due_date=day(-4),
            description="Blocks the shadowing; escalated to Kestrel's account director.",
        ),
        dict(
            process=fulfilment,
            kind=Kind.RISK,
            title="Peak volumes overwhelm the new pick teams during the parallel run",
            owner=lead,
            probability=3,
            impact=4,
            due_date=day(30),
            mitigation="Agency pickers on call; Meridian keeps two shifts until go-live.",
        ),
        dict(
            process=fulfilment,
            kind=Kind.ASSUMPTION,
            title="Meridian's WMS data can be exported in the vendor's standard format",
            owner=lead,
            due_date=day(10),
        ),
        dict(
            process=payroll,
            kind=Kind.RISK,
            title="Year-end tax forms fall during the payroll parallel runs",
            owner=ops,
            probability=2,
            impact=4,
            due_date=day(45),
        ),
        dict(
            programme=programme,
            kind=Kind.DECISION,
            title="Bring the service desk in-house rather than re-tender it",
            owner=ops,
            made_by=ops,
            status=RaidItem.Status.CLOSED,
            decision_date=day(-120),
            rationale="Stores want one number for IT and shop-floor support.",
        ),
    ]
    for fields in items:
        raid_item_save(actor=ops, **fields)

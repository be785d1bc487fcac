"""The demo's saved views (docs/demo-data.md): added when the demo programme is created.

`transition/demo` sends `core.signals.demo_programme_created`; the receiver (connected in
`AccountsConfig.ready()`) saves the views through the same service as the list pages. No
view is anyone's default, so every list still opens whole.
"""

from __future__ import annotations

from .services_saved_views import saved_view_create


def add_demo_saved_views(sender, *, users, **kwargs) -> None:
    ops, lead = users["ops"], users["lead"]
    views = [
        (ops, "contracts:contract_list", "Decisions due", "status=decision_due", True),
        (ops, "transition:milestone_list", "Open milestones", "open=true&sort=due", False),
        (
            lead,
            "transition:milestone_list",
            "My open milestones",
            f"owner={lead.pk}&open=true",
            False,
        ),
    ]
    for user, list_key, name, query, shared in views:
        saved_view_create(user=user, list_key=list_key, name=name, query=query, shared=shared)

"""Hostile text, written through the API into every text field a person can edit.

Every payload carries the marker `XSS`, so a page that shows it can be checked for the
markup escaping and nothing else: no element, attribute or script of its own.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from django.db import models
from rest_framework.test import APIClient

from contracts.models import Contract, ServiceProvider
from raid.models import RaidItem
from tests.contracts.factories import ContractFactory, ServiceProviderFactory
from tests.factories import UserFactory
from tests.raid.factories import RaidItemFactory
from tests.transition.factories import (
    AssetFactory,
    MilestoneFactory,
    OutsourcedProcessFactory,
    ProgrammeFactory,
    StaffMemberFactory,
)
from transition.models import (
    Asset,
    Baseline,
    ChangeFreeze,
    Milestone,
    OutsourcedProcess,
    Programme,
    ReadinessAssessment,
    StaffMember,
)

READINESS_SCORES = (
    "expertise",
    "workforce",
    "infrastructure",
    "systems_data",
    "processes_controls",
)
# Script tags, event handlers, javascript: URLs, quote breaking, template syntax. The short
# ones fit 50-character fields such as a contract reference or an asset tag.
PAYLOADS = (
    "<img src=x onerror=alert('XSS')>",
    '"><svg onload=alert("XSS")>',
    "<script>alert('XSS')</script>",
    "' onmouseover='alert(\"XSS\")' x='",
    "javascript:alert('XSS')//",
    "</textarea></title><script>alert('XSS')</script>",
    "{{ request.user.password }}{% debug %}XSS ${alert('XSS')}",
    '<a href="javascript:alert(1)">XSS</a><iframe srcdoc="XSS">',
)

# The API resource of each model, and which fields hold codes the server validates (an ISO
# code is refused long before it could reach a page, so a payload cannot go there).
RESOURCES = {
    ServiceProvider: ("providers", {"country"}),
    Contract: ("contracts", {"governing_country", "governing_subdivision", "currency"}),
    Programme: ("programmes", {"currency"}),
    # The reason for completing early is written by the `complete` transition, not by PATCH.
    OutsourcedProcess: ("processes", {"currency", "early_completion_reason"}),
    Milestone: ("milestones", set()),
    Asset: ("assets", {"currency"}),
    StaffMember: ("staff", {"currency"}),
    ReadinessAssessment: ("readiness-assessments", set()),
    RaidItem: ("raid-items", set()),
    ChangeFreeze: ("freezes", set()),
}


def free_text_fields(model, skip: set[str]) -> list[models.Field]:
    """The fields of `model` in which a person types whatever they like."""
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and not isinstance(f, models.EmailField | models.URLField)
        and f.name not in skip
        and f.editable
    ]


@dataclass
class HostilePortfolio:
    """One object of each kind whose every free-text field holds a payload."""

    ops: object
    lead: object
    process: OutsourcedProcess
    objects: list[models.Model] = field(default_factory=list)
    written: list[tuple[str, str, str]] = field(default_factory=list)  # (resource, field, text)


def hostile_portfolio() -> HostilePortfolio:
    """Build a portfolio, then PATCH payloads into its text fields through the API."""
    ops = UserFactory(
        username="xss-ops",
        first_name="<b>Olga</b>",
        last_name="<img src=x onerror=alert('XSS')>",
        role="Operations managers",
    )
    lead = UserFactory(username="xss-lead", role="Project leads")
    provider = ServiceProviderFactory()
    contract = ContractFactory(provider=provider, owner=ops)
    programme = ProgrammeFactory(sponsor=ops)
    process = OutsourcedProcessFactory(programme=programme, contract=contract, owner=ops, lead=lead)
    first = MilestoneFactory(process=process, owner=lead)
    second = MilestoneFactory(process=process, owner=lead)
    second.depends_on.add(first)
    objects = [
        provider,
        contract,
        programme,
        process,
        first,
        second,
        AssetFactory(process=process),
        StaffMemberFactory(process=process),
        RaidItemFactory(process=process, owner=lead),
        RaidItemFactory(
            process=None,
            programme=programme,
            kind=RaidItem.Kind.DECISION,
            probability=None,
            impact=None,
            made_by=ops,
        ),
        ChangeFreeze.objects.create(
            programme=programme,
            name="Year-end",
            starts_on=first.due_date + timedelta(days=400),
            ends_on=first.due_date + timedelta(days=410),
        ),
    ]
    portfolio = HostilePortfolio(ops=ops, lead=lead, process=process, objects=objects)
    client = APIClient()
    client.force_login(ops)
    payloads = itertools.cycle(PAYLOADS)
    # Readiness assessments are recorded, never edited: the payload goes in with the record.
    scores = dict.fromkeys(READINESS_SCORES, 3)
    notes = next(payloads)
    response = client.post(
        "/api/v1/readiness-assessments/",
        {"process": process.pk, "notes": notes, **scores},
        format="json",
    )
    assert response.status_code == 201, response.json()
    objects.append(ReadinessAssessment.objects.get(pk=response.json()["id"]))
    portfolio.written.append(("readiness-assessments", "notes", notes))
    # Baselines are saved, never edited: name and note go in with the save.
    name, note = next(payloads), next(payloads)
    response = client.post(
        "/api/v1/baselines/", {"process": process.pk, "name": name, "note": note}, format="json"
    )
    assert response.status_code == 201, response.json()
    objects.append(Baseline.objects.get(pk=response.json()["id"]))
    portfolio.written += [("baselines", "name", name), ("baselines", "note", note)]
    # The reason for completing early comes with the `complete` transition, which needs a
    # settled plan; it is stored directly so that every page showing it is inspected.
    reason = next(payloads)
    OutsourcedProcess.objects.filter(pk=process.pk).update(early_completion_reason=reason)
    portfolio.written.append(("processes", "early_completion_reason", reason))
    for number, obj in enumerate(objects):
        if isinstance(obj, ReadinessAssessment | Baseline):
            continue
        resource, skip = RESOURCES[type(obj)]
        for model_field in free_text_fields(type(obj), skip):
            text = _fitting(payloads, model_field.max_length, suffix=f" {number}")
            response = client.patch(
                f"/api/v1/{resource}/{obj.pk}/", {model_field.name: text}, format="json"
            )
            assert response.status_code == 200, (resource, model_field.name, response.json())
            portfolio.written.append((resource, model_field.name, text))
    return portfolio


def _fitting(payloads, max_length: int | None, suffix: str) -> str:
    """The next payload that fits the field (with a suffix that keeps unique fields unique)."""
    for _attempt in range(len(PAYLOADS)):
        text = next(payloads) + suffix
        if max_length is None or len(text) <= max_length:
            return text
    raise AssertionError(f"no payload fits {max_length} characters")


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.findings: list[str] = []
        self._script = ""

    def handle_starttag(self, tag, attrs):
        if tag in {"svg", "iframe"} and any("XSS" in (v or "") for _n, v in attrs):
            self.findings.append(f"<{tag}> from user text")
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.findings.append(f"<{tag} {name}={value[:40]!r}>")
            if (name == "srcdoc" and "XSS" in value) or (
                name in {"href", "src", "action", "formaction"}
                and value.strip().lower().startswith("javascript:")
            ):
                self.findings.append(f"<{tag} {name}={value[:40]!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.findings.append("<img src=x> from user text")
        self._script = dict(attrs).get("type") or "text/javascript" if tag == "script" else ""

    def handle_endtag(self, tag):
        self._script = ""

    def handle_data(self, data):
        if not self._script or "XSS" not in data:
            return
        # Data for scripts travels in JSON script tags (json_script), escaped so that no
        # "<" can close the tag; anything else holding user text is a script of its own.
        if self._script != "application/json" or "<" in data:
            self.findings.append(f"script holding user text: {data.strip()[:60]!r}")


def unescaped_payloads(html: str) -> list[str]:
    """Markup in `html` that came from a payload instead of being shown as text."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.findings

"""Shaped reads of the register: lists, a contract's page, and its dates explained."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from . import dates
from .models import Contract, ContractDocument, ServiceProvider

HISTORY_LIMIT = 25
HISTORY_HIDDEN = ["created_at", "updated_at"]


def provider_list() -> QuerySet[ServiceProvider]:
    """Providers with how many contracts each holds (one query per page)."""
    return ServiceProvider.objects.annotate(contract_count=Count("contracts"))


def provider_detail() -> QuerySet[ServiceProvider]:
    return ServiceProvider.objects.prefetch_related(
        Prefetch("contracts", queryset=Contract.objects.select_related("owner"))
    )


def contract_list() -> QuerySet[Contract]:
    """Contracts with provider, owner and counts of their processes, for lists and exports."""
    from transition.models import OutsourcedProcess

    outsourced = (
        OutsourcedProcess.objects.filter(
            contract=OuterRef("pk"), state=OutsourcedProcess.State.OUTSOURCED
        )
        .order_by()
        .values("contract")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # A subquery rather than a second Count(): two counts over joins multiply each other.
    return Contract.objects.select_related("provider", "owner").annotate(
        process_count=Count("processes", distinct=True),
        outsourced_count=Subquery(outsourced),
    )


def contract_detail() -> QuerySet[Contract]:
    """A contract with everything its page shows, in a fixed number of queries."""
    from transition.models import Asset, Milestone, OutsourcedProcess, ReadinessAssessment

    open_milestones = Milestone.objects.filter(process=OuterRef("pk")).exclude(
        status=Milestone.Status.DONE
    )
    open_assets = Asset.objects.filter(
        process=OuterRef("pk"),
        status__in=[Asset.Status.TO_TRANSFER, Asset.Status.IN_PROGRESS],
        transfer_due__isnull=False,
    )
    processes = (
        OutsourcedProcess.objects.select_related("programme", "owner", "lead")
        .annotate(
            next_milestone_due=Subquery(
                open_milestones.order_by("due_date").values("due_date")[:1]
            ),
            next_asset_due=Subquery(
                open_assets.order_by("transfer_due").values("transfer_due")[:1]
            ),
        )
        .prefetch_related(
            Prefetch(
                "readiness_assessments",
                queryset=ReadinessAssessment.objects.order_by("-assessed_on", "-pk"),
                to_attr="readiness_latest",
            )
        )
        .order_by("programme__name", "name")
    )
    return Contract.objects.select_related("provider", "owner").prefetch_related(
        Prefetch("processes", queryset=processes),
        Prefetch("documents", queryset=ContractDocument.objects.select_related("uploaded_by")),
    )


def contract_owners():
    """Users who own at least one contract: the choices of the owner filter."""
    return (
        get_user_model()
        .objects.filter(owned_contracts__isnull=False)
        .distinct()
        .order_by("first_name", "last_name")
    )


def contract_owner_choices():
    """Active users, the people a contract may belong to."""
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name")


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: object
    user: object
    kind: str
    changes: list[Change]


def contract_history(contract: Contract, limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """The latest changes to a contract, newest first: who changed which field from what to what."""
    # One record more than shown, so the oldest shown one can still be diffed.
    records = list(
        contract.history.select_related("history_user").order_by("-history_id")[: limit + 1]
    )
    foreign_ids = {"provider": set(), "owner": set()}
    pairs = []
    for index, newer in enumerate(records[:limit]):
        older = records[index + 1] if index + 1 < len(records) else None
        delta = newer.diff_against(older, excluded_fields=HISTORY_HIDDEN) if older else None
        pairs.append((newer, delta))
        for change in delta.changes if delta else ():
            if change.field in foreign_ids:
                foreign_ids[change.field].update(v for v in (change.old, change.new) if v)
    names = {
        "provider": dict(
            ServiceProvider.objects.filter(pk__in=foreign_ids["provider"]).values_list("pk", "name")
        )
        if foreign_ids["provider"]
        else {},
        "owner": {
            user.pk: user.get_full_name() or user.get_username()
            for user in get_user_model().objects.filter(pk__in=foreign_ids["owner"])
        }
        if foreign_ids["owner"]
        else {},
    }
    labels = {
        f.name: str(f.verbose_name)
        for f in Contract._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    kinds = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
    entries = []
    for record, delta in pairs:
        changes = []
        for change in delta.changes if delta else ():
            lookup = names.get(change.field)
            changes.append(
                Change(
                    field=labels.get(change.field, change.field),
                    old=_display(lookup.get(change.old, change.old) if lookup else change.old),
                    new=_display(lookup.get(change.new, change.new) if lookup else change.new),
                )
            )
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
    return entries


def _display(value) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return f"{value:%-d %b %Y}"
    return str(value)


# The contract's dates, each with one plain-English line (DESIGN.md section 2, date engine)


@dataclass(frozen=True)
class ExplainedDate:
    key: str
    label: str
    value: date | None
    explanation: str
    tone: str = ""


def _fmt(d: date) -> str:
    return f"{d:%-d %b %Y}"


def _holiday_name(d: date, country: str) -> str | None:
    if not country:
        return None
    try:
        national = holidays.country_holidays(country, years=d.year)
    except NotImplementedError:
        return None
    if d in national:
        return national.get(d)
    for subdivision in national.subdivisions:
        regional = holidays.country_holidays(country, subdiv=subdivision, years=d.year)
        if d in regional:
            return _("%(name)s in %(region)s") % {"name": regional.get(d), "region": subdivision}
    return None


def why_not_business_day(d: date, country: str) -> str:
    """'a Sunday', 'a public holiday (Boxing Day)'…: why no notice can be received on d."""
    if d.weekday() >= 5:
        return _("a %(weekday)s") % {"weekday": f"{d:%A}"}
    name = _holiday_name(d, country)
    return _("a public holiday (%(name)s)") % {"name": name} if name else _("not a business day")


def _moved_back(raw: date, actual: date, country: str) -> str:
    if raw == actual:
        return ""
    return _("; it moved back from %(raw)s because that day is %(why)s") % {
        "raw": f"{raw:%-d %b}",
        "why": why_not_business_day(raw, country),
    }


def _raw_deadline(terms: dates.Terms, term_end: date) -> date:
    if terms.notice_unit == dates.NOTICE_DAYS:
        return term_end - timedelta(days=terms.notice_period)
    return dates.add_months(term_end, -terms.notice_period)


def notice_deadline_explanation(terms: dates.Terms, deadline: date, term_end: date) -> str:
    return _(
        "Notice must be received by this business day to end the contract on %(end)s%(moved)s."
    ) % {
        "end": _fmt(term_end),
        "moved": _moved_back(_raw_deadline(terms, term_end), deadline, terms.governing_country),
    }


def _term_end_of_deadline(terms: dates.Terms, deadline: date) -> date:
    """The term end a notice deadline belongs to (the first whose deadline is the given one)."""
    for end in dates.term_ends(terms, deadline):
        if dates.notice_deadline(terms, end) == deadline:
            return end
    raise ValueError("deadline belongs to no term")  # pragma: no cover - engine invariant


STATUS_EXPLANATIONS = {
    dates.STATUS_NOT_STARTED: "The contract has not started yet.",
    dates.STATUS_ACTIVE: "The contract is running and no decision is due yet.",
    dates.STATUS_DECISION_DUE: (
        "The decision date has passed and the notice deadline has not: decide now."
    ),
    dates.STATUS_ENDING: (
        "The last notice deadline has passed; the contract ends on its end date."
    ),
    dates.STATUS_EXPIRED: "The contract has ended.",
}
STATUS_TONES = {
    dates.STATUS_DECISION_DUE: "warning",
    dates.STATUS_ENDING: "info",
    dates.STATUS_EXPIRED: "secondary",
}


def contract_dates(contract: Contract, on: date) -> list[ExplainedDate]:
    """Every date the engine gives for `contract` on day `on`, each explained in one line."""
    terms = contract.terms
    status = dates.status(terms, on)
    rows = [
        ExplainedDate(
            "status",
            _("Status"),
            None,
            _(STATUS_EXPLANATIONS[status]),
            STATUS_TONES.get(status, "success"),
        )
    ]

    term_end = dates.current_term_end(terms, on)
    if contract.renewal == Contract.Renewal.AUTOMATIC:
        how = _(
            "The term running now ends on this day; the contract renews automatically every "
            "%(months)s months, counted from the initial end date %(e0)s."
        ) % {"months": contract.renewal_term_months, "e0": _fmt(contract.end_date)}
    elif term_end < on:
        how = _("The contract ended on this day; it does not renew.")
    else:
        how = _("The contract ends on this day; it does not renew.")
    rows.append(ExplainedDate("current_term_end", _("Current term ends"), term_end, how))

    deadline = dates.next_notice_deadline(terms, on)
    if deadline is None:
        rows.append(
            ExplainedDate(
                "next_notice_deadline",
                _("Next notice deadline"),
                None,
                _("No notice deadline is left: the contract ends on %(end)s without notice.")
                % {"end": _fmt(contract.end_date)},
            )
        )
    else:
        deadline_end = _term_end_of_deadline(terms, deadline)
        text = notice_deadline_explanation(terms, deadline, deadline_end)
        if deadline_end != term_end:
            text += " " + _("The deadline for the term ending %(end)s has already passed.") % {
                "end": _fmt(term_end)
            }
        rows.append(
            ExplainedDate(
                "next_notice_deadline", _("Next notice deadline"), deadline, text, "danger"
            )
        )

    decision = dates.decision_date(terms, on)
    if decision is not None:
        raw = deadline - timedelta(days=terms.decision_lead_days)
        text = _(
            "Decide whether to bring the service back by this day, %(days)s days before the "
            "notice deadline%(moved)s."
        ) % {
            "days": terms.decision_lead_days,
            "moved": _moved_back(raw, decision, terms.governing_country),
        }
        rows.append(ExplainedDate("decision_date", _("Decision date"), decision, text, "warning"))

    exit_date = dates.exit_date_if_served(terms, on)
    rows.append(
        ExplainedDate(
            "exit_date_if_served_today",
            _("Exit date if notice is served today"),
            exit_date,
            exit_explanation(contract, on, exit_date),
        )
    )
    rows.append(
        ExplainedDate(
            "assistance_end",
            _("Termination assistance ends"),
            dates.assistance_end(terms, exit_date),
            assistance_explanation(contract, exit_date),
        )
    )
    return rows


def exit_explanation(contract: Contract, served_on: date, exit_date: date) -> str:
    """Why notice received on `served_on` ends the service on `exit_date`."""
    terms = contract.terms
    if contract.termination_for_convenience and exit_date == dates.notice_date_from(
        terms, served_on
    ):
        return _(
            "Termination for convenience: the service ends %(period)s after notice is received, "
            "before the term would end."
        ) % {"period": contract.notice_period_display}
    if contract.renewal != Contract.Renewal.AUTOMATIC:
        if exit_date < served_on:
            return _("The contract already ended on this day.")
        return _("The contract does not renew, so it ends on its end date whenever notice comes.")
    current = dates.current_term_end(terms, served_on)
    if exit_date == current:
        return _("Notice received that day is in time for the current term, which ends then.")
    return _(
        "Notice received that day misses the deadline for the term ending %(current)s, so the "
        "contract renews once more and ends on this day."
    ) % {"current": _fmt(current)}


def assistance_explanation(contract: Contract, exit_date: date) -> str:
    if not contract.exit_assistance_months:
        return _("No termination assistance is owed: support ends on the exit date.")
    return _(
        "The provider owes %(months)s months of termination assistance after the exit date."
    ) % {"months": contract.exit_assistance_months}


def contracts_with_deadline_before(queryset: QuerySet[Contract], before: date, on: date) -> Q:
    """A filter for contracts whose next notice deadline (seen on `on`) falls on or before `before`.

    Deadlines are computed by the date engine, not stored, so they are worked out in Python
    over the terms of the already-filtered rows: one query, however many rows match.
    """
    matching = [
        contract.pk
        for contract in queryset.select_related(None).only(*TERM_FIELDS)
        if (deadline := contract.next_notice_deadline(on)) is not None and deadline <= before
    ]
    return Q(pk__in=matching)


def contracts_with_status(queryset: QuerySet[Contract], status: str, on: date) -> Q:
    """A filter for contracts whose computed status on `on` is `status` (one query)."""
    return Q(
        pk__in=[
            c.pk for c in queryset.select_related(None).only(*TERM_FIELDS) if c.status(on) == status
        ]
    )


TERM_FIELDS = (
    "pk",
    "start_date",
    "end_date",
    "renewal",
    "renewal_term_months",
    "notice_period",
    "notice_unit",
    "termination_for_convenience",
    "governing_country",
    "decision_lead_days",
    "exit_assistance_months",
)

"""The contract's dates, each with one plain-English line (docs/domain.md, the date engine)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.utils.translation import gettext as _

from .. import dates
from ..models import Contract


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

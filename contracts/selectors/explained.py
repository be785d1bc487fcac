"""The contract's dates, each with one plain-English line (docs/domain.md, the date engine)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import holidays
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.formats import day_month, short_date, weekday

from .. import dates
from ..models import Contract, ExitNotice
from ..models.register import NoticeState


@dataclass(frozen=True)
class ExplainedDate:
    key: str
    label: str
    value: date | None
    explanation: str
    tone: str = ""


def _fmt(d: date) -> str:
    return short_date(d)


def _holiday_name(d: date, country: str, subdivision: str = "") -> str | None:
    if not country:
        return None
    try:
        national = holidays.country_holidays(country, years=d.year)
    except NotImplementedError:
        return None
    if d in national:
        return national.get(d)
    region = dates.holidays_subdivision(country, subdivision)
    if region in national.subdivisions:
        # The engine counts only this region's days: name the one it counted.
        regional = holidays.country_holidays(country, subdiv=region, years=d.year)
        return regional.get(d)
    for other in national.subdivisions:
        regional = holidays.country_holidays(country, subdiv=other, years=d.year)
        if d in regional:
            return _("%(name)s in %(region)s") % {"name": regional.get(d), "region": other}
    return None


def why_not_business_day(d: date, country: str, subdivision: str = "") -> str:
    """'a Sunday', 'a public holiday (Boxing Day)'…: why no notice can be received on d."""
    if d.weekday() >= 5:
        return _("a %(weekday)s") % {"weekday": weekday(d)}
    name = _holiday_name(d, country, subdivision)
    return _("a public holiday (%(name)s)") % {"name": name} if name else _("not a business day")


def _moved_back(raw: date, actual: date, country: str, subdivision: str = "") -> str:
    if raw == actual:
        return ""
    return _("; it moved back from %(raw)s because that day is %(why)s") % {
        "raw": day_month(raw),
        "why": why_not_business_day(raw, country, subdivision),
    }


def _moved_forward(raw: date, actual: date, country: str, subdivision: str = "") -> str:
    if raw == actual:
        return ""
    return _("; it moved forward from %(raw)s because that day is %(why)s") % {
        "raw": day_month(raw),
        "why": why_not_business_day(raw, country, subdivision),
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
        "moved": _moved_back(
            _raw_deadline(terms, term_end),
            deadline,
            terms.governing_country,
            terms.governing_subdivision,
        ),
    }


def notice_window_explanation(terms: dates.Terms, term_end: date, on: date) -> str:
    """Why notice for the term ending term_end may not be received before the window opens."""
    opens, closes = dates.notice_window(terms, term_end)
    if opens is None or terms.notice_window_months is None:
        return ""
    if opens > closes:
        return _(
            "The window for the term ending %(end)s opens after its notice deadline "
            "%(deadline)s: no day is left on which notice is both early enough and not void."
        ) % {"end": _fmt(term_end), "deadline": _fmt(closes)}
    text = ngettext(
        "Notice received before this business day is void: the contract allows notice at "
        "most %(months)d month before the term end %(end)s%(moved)s.",
        "Notice received before this business day is void: the contract allows notice at "
        "most %(months)d months before the term end %(end)s%(moved)s.",
        terms.notice_window_months,
    ) % {
        "months": terms.notice_window_months,
        "end": _fmt(term_end),
        "moved": _moved_forward(
            dates.notice_window_start(term_end, terms.notice_window_months),
            opens,
            terms.governing_country,
            terms.governing_subdivision,
        ),
    }
    if opens <= on:
        text += " " + _("The window is open: notice may be served until the deadline.")
    return text


def dispatch_explanation(contract: Contract, term_end: date) -> str:
    """How late notice can be sent by the contract's method and still arrive in time."""
    terms = contract.terms
    days = terms.notice_transit_days
    if not days:
        text = _(
            "Notice by %(method)s arrives the day it is sent, so it may be sent as late as "
            "the notice deadline %(deadline)s."
        )
    elif contract.notice_method:
        text = ngettext(
            "Send notice by %(method)s by this business day: it takes %(days)d business day "
            "to arrive, so it is received by the notice deadline %(deadline)s.",
            "Send notice by %(method)s by this business day: it takes %(days)d business days "
            "to arrive, so it is received by the notice deadline %(deadline)s.",
            days,
        )
    else:
        text = ngettext(
            "Send notice by this business day: it takes %(days)d business day to arrive, so "
            "it is received by the notice deadline %(deadline)s.",
            "Send notice by this business day: it takes %(days)d business days to arrive, so "
            "it is received by the notice deadline %(deadline)s.",
            days,
        )
    return text % {
        "method": contract.get_notice_method_display().lower(),
        "days": days,
        "deadline": _fmt(dates.notice_deadline(terms, term_end)),
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


def contract_dates(
    contract: Contract, on: date, notices: Sequence[ExitNotice] | None = None
) -> list[ExplainedDate]:
    """Every date the engine gives for `contract` on day `on`, each explained in one line.

    Given its `notices` (contract_notices()), the dates follow the notices in force: under
    notice as a whole, the exit date replaces every deadline; partly, the deadlines stay for
    the processes still outsourced (docs/domain.md, "Contract status").
    """
    status = dates.status(contract.terms, on)
    status_row = ExplainedDate(
        "status",
        _("Status"),
        None,
        _(STATUS_EXPLANATIONS[status]),
        STATUS_TONES.get(status, "success"),
    )
    if notices is None:
        return [status_row, *_term_dates(contract, on)]
    state = contract.notice_state
    in_force = [notice for notice in notices if notice.is_active]
    if state.wholly and in_force:
        return _dates_under_notice(contract, on, state, in_force)
    if state.partly and status != dates.STATUS_EXPIRED:
        status_row = ExplainedDate(
            "status", _("Status"), None, _partly_explanation(state, in_force), "info"
        )
    return [status_row, *_term_dates(contract, on)]


def _partly_explanation(state: NoticeState, in_force: Sequence[ExitNotice]) -> str:
    left = state.process_count - state.noticed_count
    text = ngettext(
        "Notice is in force for %(noticed)d of %(total)d processes",
        "Notice is in force for %(noticed)d of %(total)d processes",
        state.noticed_count,
    ) % {"noticed": state.noticed_count, "total": state.process_count}
    if state.exit_date:
        text += " " + _("(service ending %(date)s)") % {"date": _fmt(state.exit_date)}
    return (
        text
        + "; "
        + ngettext(
            "the deadlines below still matter for the %(left)d process not under notice.",
            "the deadlines below still matter for the %(left)d processes not under notice.",
            left,
        )
        % {"left": left}
    )


def _dates_under_notice(
    contract: Contract, on: date, state: NoticeState, in_force: Sequence[ExitNotice]
) -> list[ExplainedDate]:
    """A contract wholly under notice: when notice came and when the service ends; no
    deadline is left to meet, so none is shown."""
    exit_date = state.exit_date or max(notice.exit_date for notice in in_force)
    latest = in_force[0]  # newest first
    whole = next((n for n in in_force if n.scope == ExitNotice.Scope.WHOLE), None)
    if state.ended_by(on):
        status_text = _("The service ended on %(date)s under the notice served.") % {
            "date": _fmt(exit_date)
        }
    elif whole is not None:
        status_text = _(
            "Notice of the whole contract was received on %(served)s: no notice deadline is "
            "left to meet, and the service ends on %(end)s."
        ) % {"served": _fmt(whole.served_on), "end": _fmt(exit_date)}
    else:
        status_text = _(
            "Every process under the contract is under notice: no notice deadline is left "
            "to meet, and the last service ends on %(end)s."
        ) % {"end": _fmt(exit_date)}
    if len(in_force) == 1:
        received_text = _("The day the provider received the notice: what counts legally.")
    else:
        received_text = ngettext(
            "The latest of %(n)d notice in force.",
            "The latest of %(n)d notices in force.",
            len(in_force),
        ) % {"n": len(in_force)}
    if len({notice.exit_date for notice in in_force}) > 1:
        exit_text = _("The last day of service of the notice that ends last.")
    else:
        exit_text = _("The last day of service, worked out when the notice was served.")
    return [
        ExplainedDate("status", _("Status"), None, status_text, "info"),
        ExplainedDate("notice_served_on", _("Notice received"), latest.served_on, received_text),
        ExplainedDate("exit_date", _("Exit date"), exit_date, exit_text, "info"),
        ExplainedDate(
            "assistance_end",
            _("Termination assistance ends"),
            contract.assistance_end(exit_date),
            assistance_explanation(contract, exit_date),
        ),
    ]


def _term_dates(contract: Contract, on: date) -> list[ExplainedDate]:
    """The dates of the terms alone: term end, window, dispatch, deadline, decision, exit."""
    terms = contract.terms
    rows: list[ExplainedDate] = []
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
        if terms.notice_window_months is not None:
            opens, _closes = dates.notice_window(terms, deadline_end)
            rows.append(
                ExplainedDate(
                    "notice_window_opens",
                    _("Notice window opens"),
                    opens,
                    notice_window_explanation(terms, deadline_end, on),
                    "warning" if opens is not None and opens > deadline else "",
                )
            )
        if contract.notice_method or terms.notice_transit_days:
            rows.append(
                ExplainedDate(
                    "dispatch_by",
                    _("Dispatch by"),
                    dates.dispatch_by(terms, deadline_end),
                    dispatch_explanation(contract, deadline_end),
                    "danger",
                )
            )
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
    # decision_date() is None exactly when next_notice_deadline() is (same terms, same day);
    # testing both only tells the type checker so.
    if decision is not None and deadline is not None:
        raw = deadline - timedelta(days=terms.decision_lead_days)
        text = _(
            "Decide whether to bring the service back by this day, %(days)s days before the "
            "notice deadline%(moved)s."
        ) % {
            "days": terms.decision_lead_days,
            "moved": _moved_back(
                raw, decision, terms.governing_country, terms.governing_subdivision
            ),
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
    too_early = dates.notice_window_reason(terms, served_on)
    if too_early:
        return f"{too_early} " + _(
            "Notice that early is void; received once the window is open, it ends the "
            "service on this day."
        )
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

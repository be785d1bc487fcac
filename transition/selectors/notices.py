"""What exit notice served on a given day would do, for the serve dialog's preview."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from contracts import dates
from contracts.models import Contract
from contracts.selectors import exit_explanation
from core.formats import short_date

from ..services.notice_records import served_on_reasons


@dataclass(frozen=True)
class NoticePreview:
    """Notice received on `served_on`, before it is served: the dates the date engine gives,
    why the service would refuse that day, and the letter for it."""

    served_on: date
    exit_date: date
    assistance_end: date
    explanation: str
    deadline: date | None  # the notice deadline that day meets, when one binds it
    dispatch_by: date | None  # the last day to send it so it is received by that deadline
    refusals: list[str]
    letter_url: str


def notice_preview(
    contract: Contract,
    *,
    served_on: date,
    process_ids: Sequence[int] | None,
    signed_by: str,
    today: date,
) -> NoticePreview:
    """The preview of notice on `contract` received on `served_on` (raises ValueError or
    OverflowError past the engine's range, year 9999)."""
    terms = contract.terms
    exit_date = contract.exit_date_if_served(served_on)
    assistance_end = contract.assistance_end(exit_date)
    # Termination for convenience may be given at any time: no deadline binds it.
    term_end = (
        None if terms.termination_for_convenience else dates.next_notice_term_end(terms, served_on)
    )
    # The same reasons notice_serve refuses the day with (one home for the rule).
    refusals = served_on_reasons(contract, served_on)
    if served_on > today:
        refusals.insert(
            0,
            _("Notice cannot be received in the future (%(date)s).")
            % {"date": short_date(served_on)},
        )
    query: dict[str, object] = {"served_on": served_on.isoformat()}
    if process_ids:
        query["processes"] = list(process_ids)
    if signed_by:
        query["signatory_name"] = signed_by
    letter = reverse("contracts:notice_letter", args=[contract.pk])
    return NoticePreview(
        served_on=served_on,
        exit_date=exit_date,
        assistance_end=assistance_end,
        explanation=exit_explanation(contract, served_on, exit_date),
        deadline=None if term_end is None else dates.notice_deadline(terms, term_end),
        dispatch_by=None if term_end is None else dates.dispatch_by(terms, term_end),
        refusals=refusals,
        letter_url=f"{letter}?{urlencode(query, doseq=True)}",
    )

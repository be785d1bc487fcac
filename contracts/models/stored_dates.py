"""A contract's next notice dates kept in columns, so that lists sort by them and the
dashboard cuts them in SQL (docs/performance.md, "Stored notice dates").

The date engine (`contracts/dates.py`) stays the one rule: these columns hold what it says
for one day, `notice_dates_as_of`. They remain right on every later day up to the stored
deadline, because the next notice deadline, its decision date and its dispatch-by only
change once that deadline has passed (or the terms change, and every save stores them
again). `with_stale_notice_dates(on)` finds the rows to compute again; the reminder sweep
and the pages that read the columns call `refresh_notice_dates(on)` first.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

from .. import dates

if TYPE_CHECKING:
    from .register import Contract  # noqa: F401 - named in the queryset's type below

# The columns `store_notice_dates()` writes, in the order of the model.
NOTICE_DATE_FIELDS = (
    "stored_notice_term_end",
    "stored_next_notice_deadline",
    "stored_decision_date",
    "stored_dispatch_by",
    "notice_dates_as_of",
)
REFRESH_BATCH = 1000


def notice_dates(terms: dates.Terms, on: date) -> dict[str, date | None]:
    """The engine's next notice dates as of `on`, named as the columns that keep them."""
    end = dates.next_notice_term_end(terms, on)
    if end is None:
        return {name: None for name in NOTICE_DATE_FIELDS} | {"notice_dates_as_of": on}
    return {
        "stored_notice_term_end": end,
        "stored_next_notice_deadline": dates.notice_deadline(terms, end),
        "stored_decision_date": dates.decision_date(terms, on),
        "stored_dispatch_by": dates.dispatch_by(terms, end),
        "notice_dates_as_of": on,
    }


class StoredNoticeDatesQuerySet(models.QuerySet["Contract"]):
    def with_stale_notice_dates(self, on: date) -> StoredNoticeDatesQuerySet:
        """Rows whose stored dates are not the engine's on `on`: never stored, stored for a
        later day (a clock set back), or with their deadline passed."""
        return self.filter(
            Q(notice_dates_as_of__isnull=True)
            | Q(notice_dates_as_of__gt=on)
            | Q(stored_next_notice_deadline__lt=on)
        )

    def refresh_notice_dates(self, on: date) -> int:
        """Store again the dates of every stale row (one query when none is); how many.

        Derived columns only: no history row, no `updated_at` (nothing a person changed)."""
        from core.resources import values_bulk_update

        stale = list(self.with_stale_notice_dates(on).only("pk", *self.model.TERM_FIELDS))
        for contract in stale:
            contract.store_notice_dates(on)
        values_bulk_update(self.model, stale, list(NOTICE_DATE_FIELDS), batch_size=REFRESH_BATCH)
        return len(stale)

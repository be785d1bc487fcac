"""Shaped reads of the register, in modules by concern; everything is re-exported here."""

from .explained import (
    STATUS_EXPLANATIONS,
    STATUS_TONES,
    ExplainedDate,
    assistance_explanation,
    contract_dates,
    exit_explanation,
    notice_deadline_explanation,
    why_not_business_day,
)
from .history import (
    HISTORY_HIDDEN,
    HISTORY_LIMIT,
    Change,
    HistoryEntry,
    contract_history,
)
from .notices import contract_notices
from .querysets import (
    contract_detail,
    contract_list,
    contract_owner_choices,
    contract_owners,
    contracts_with_deadline_within,
    contracts_with_status,
    provider_detail,
    provider_list,
    status_rank,
)

__all__ = [
    "Change",
    "ExplainedDate",
    "HISTORY_HIDDEN",
    "HISTORY_LIMIT",
    "HistoryEntry",
    "STATUS_EXPLANATIONS",
    "STATUS_TONES",
    "assistance_explanation",
    "contract_dates",
    "contract_detail",
    "contract_history",
    "contract_list",
    "contract_notices",
    "contract_owner_choices",
    "contract_owners",
    "contracts_with_deadline_within",
    "contracts_with_status",
    "exit_explanation",
    "notice_deadline_explanation",
    "provider_detail",
    "provider_list",
    "status_rank",
    "why_not_business_day",
]

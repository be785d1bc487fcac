"""The contracts app's models, in modules by subject; everything is re-exported here."""

from .deliverables import (
    Deliverable,
    DeliverableCategory,
    DeliverableTemplate,
    DueAnchor,
)
from .documents import (
    ContractDocument,
    NoticeLetterTemplate,
    contract_document_path,
    validate_document_size,
)
from .notices import PROOF_EXTENSIONS, ExitNotice, notice_proof_path
from .register import CURRENCY, GROWTH_PERCENT, MONEY, Contract, ServiceProvider

__all__ = [
    "CURRENCY",
    "GROWTH_PERCENT",
    "MONEY",
    "PROOF_EXTENSIONS",
    "Contract",
    "ContractDocument",
    "Deliverable",
    "DeliverableCategory",
    "DeliverableTemplate",
    "DueAnchor",
    "ExitNotice",
    "NoticeLetterTemplate",
    "ServiceProvider",
    "contract_document_path",
    "notice_proof_path",
    "validate_document_size",
]

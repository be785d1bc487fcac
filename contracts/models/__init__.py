"""The contracts app's models, in modules by subject; everything is re-exported here."""

from .documents import (
    ContractDocument,
    NoticeLetterTemplate,
    contract_document_path,
    validate_document_size,
)
from .register import MONEY, Contract, ServiceProvider

__all__ = [
    "MONEY",
    "Contract",
    "ContractDocument",
    "NoticeLetterTemplate",
    "ServiceProvider",
    "contract_document_path",
    "validate_document_size",
]

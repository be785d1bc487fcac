"""Writes to the register of providers and contracts; every write is validated and permitted."""

from backsourcing.domain import safe_delete, validated_save
from reminders.tasks import sweep_after_commit

from .models import Contract, ContractDocument, ServiceProvider

EDIT_REGISTER = "contracts.edit_register"


def provider_create(*, actor, **fields) -> ServiceProvider:
    """Create a provider; a duplicate name or invalid country is refused by field."""
    return validated_save(ServiceProvider(), actor=actor, perm=EDIT_REGISTER, **fields)


def provider_update(*, provider: ServiceProvider, actor, **fields) -> ServiceProvider:
    return validated_save(provider, actor=actor, perm=EDIT_REGISTER, **fields)


def provider_delete(*, provider: ServiceProvider, actor) -> None:
    """Delete a provider, refused with a message while contracts refer to it."""
    safe_delete(provider, actor=actor, perm=EDIT_REGISTER)


def contract_create(*, actor, **fields) -> Contract:
    """Create a contract whose terms pass every date-engine rule."""
    return validated_save(Contract(), actor=actor, perm=EDIT_REGISTER, **fields)


def contract_update(*, contract: Contract, actor, **fields) -> Contract:
    contract = validated_save(contract, actor=actor, perm=EDIT_REGISTER, **fields)
    sweep_after_commit()  # the notice deadline may have moved
    return contract


def contract_delete(*, contract: Contract, actor) -> None:
    safe_delete(contract, actor=actor, perm=EDIT_REGISTER)


def document_add(*, contract: Contract, actor, title: str, file) -> ContractDocument:
    """Attach a file to a contract; a wrong type or size is refused on the file field."""
    document = ContractDocument(contract=contract, uploaded_by=actor)
    return validated_save(document, actor=actor, perm=EDIT_REGISTER, title=title, file=file)


def document_delete(*, document: ContractDocument, actor) -> None:
    safe_delete(document, actor=actor, perm=EDIT_REGISTER)
    document.file.delete(save=False)

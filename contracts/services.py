"""Writes to the register of providers and contracts; every write is validated and permitted."""

import logging
from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import transaction

from core.services import require_perm, safe_delete, validated_save
from core.signals import announce_deadlines_changed
from core.types import AuthUser, User

from .models import Contract, ContractDocument, NoticeLetterTemplate, ServiceProvider

EDIT_REGISTER = "contracts.edit_register"

logger = logging.getLogger(__name__)


def provider_create(*, actor: User, **fields: Any) -> ServiceProvider:
    """Create a provider; a duplicate name or invalid country is refused by field."""
    return validated_save(ServiceProvider(), actor=actor, perm=EDIT_REGISTER, **fields)


def provider_update(*, provider: ServiceProvider, actor: User, **fields: Any) -> ServiceProvider:
    return validated_save(provider, actor=actor, perm=EDIT_REGISTER, **fields)


def provider_delete(*, provider: ServiceProvider, actor: User) -> None:
    """Delete a provider, refused with a message while contracts refer to it."""
    safe_delete(provider, actor=actor, perm=EDIT_REGISTER)


def contract_create(*, actor: User, **fields: Any) -> Contract:
    """Create a contract whose terms pass every date-engine rule."""
    return validated_save(Contract(), actor=actor, perm=EDIT_REGISTER, **fields)


def contract_update(*, contract: Contract, actor: User, **fields: Any) -> Contract:
    contract = validated_save(contract, actor=actor, perm=EDIT_REGISTER, **fields)
    announce_deadlines_changed(Contract, [contract.pk])  # the notice deadline may have moved
    return contract


@transaction.atomic
def contract_delete(*, contract: Contract, actor: User) -> None:
    """Delete a contract and its documents; their files go once the deletion commits."""
    # The row lock makes a document added meanwhile wait (its foreign key needs the row), so
    # every file the cascade deletes is among those read here.
    Contract.objects.select_for_update().filter(pk=contract.pk).exists()
    names = list(contract.documents.values_list("file", flat=True))
    safe_delete(contract, actor=actor, perm=EDIT_REGISTER)
    stored_files_remove_on_commit(ContractDocument._meta.get_field("file").storage, names)


def document_add(
    *, contract: Contract, actor: AuthUser, title: str, file: File
) -> ContractDocument:
    """Attach a file to a contract; a wrong type or size is refused on the file field."""
    document = ContractDocument(contract=contract, uploaded_by=actor)
    return validated_save(document, actor=actor, perm=EDIT_REGISTER, title=title, file=file)


@transaction.atomic
def document_save(*, document: ContractDocument, actor: AuthUser) -> ContractDocument:
    """Save a document as the admin changed it; a file it replaced leaves storage once this
    commits, so the stored objects are those the rows name."""
    previous = (
        ContractDocument.objects.filter(pk=document.pk).values_list("file", flat=True).first()
        if document.pk
        else None
    )
    if document.uploaded_by_id is None:
        document.uploaded_by = actor
    document.save()
    if previous and previous != document.file.name:
        stored_files_remove_on_commit(document.file.storage, [previous])
    return document


@transaction.atomic
def document_delete(*, document: ContractDocument, actor: User) -> None:
    """Delete a document; its file goes once the deletion commits, so a rollback keeps both."""
    safe_delete(document, actor=actor, perm=EDIT_REGISTER)
    stored_files_remove_on_commit(document.file.storage, [document.file.name])


def stored_files_remove_on_commit(storage: Storage, names: Iterable[str | None]) -> None:
    """Remove files (or bucket objects) from `storage` once the transaction deleting or
    replacing the rows naming them commits, so a rollback keeps each row with its file.

    Only the storage API is used: the same call removes a file under MEDIA_ROOT or an object
    in the bucket ("Documents and object storage" in docs/operations.md).
    """
    present = [name for name in names if name]

    def remove() -> None:
        for name in present:
            try:
                storage.delete(name)
            except Exception:
                # The rows are gone for good; a file left behind is logged for tidying, not
                # turned into an error for a deletion that succeeded.
                logger.exception("Could not remove the deleted document file %s", name)

    if present:
        transaction.on_commit(remove)


CHANGE_LETTER_TEMPLATE = "contracts.change_noticelettertemplate"


@transaction.atomic
def letter_template_activate(*, template: NoticeLetterTemplate, actor: User) -> None:
    """Make `template` the notice letter template; the one active before is deactivated."""
    require_perm(actor, CHANGE_LETTER_TEMPLATE)
    # A concurrent activation waits on the active row's lock; should both find none active,
    # the one-active constraint refuses the second.
    list(NoticeLetterTemplate.objects.select_for_update().filter(is_active=True))
    NoticeLetterTemplate.objects.filter(is_active=True).exclude(pk=template.pk).update(
        is_active=False
    )
    NoticeLetterTemplate.objects.filter(pk=template.pk).update(is_active=True)
    template.is_active = True


@transaction.atomic
def letter_template_delete(*, templates: Iterable[NoticeLetterTemplate], actor: User) -> None:
    """Delete notice letter templates and, once that commits, their files; deleting the
    active one puts notice letters back on the default template."""
    require_perm(actor, "contracts.delete_noticelettertemplate")
    rows = list(templates)
    NoticeLetterTemplate.objects.filter(pk__in=[row.pk for row in rows]).delete()
    storage = NoticeLetterTemplate._meta.get_field("file").storage
    stored_files_remove_on_commit(storage, [row.file.name for row in rows])


def letter_template_deactivate_all(*, actor: User) -> None:
    """Go back to the default notice letter template."""
    require_perm(actor, CHANGE_LETTER_TEMPLATE)
    NoticeLetterTemplate.objects.filter(is_active=True).update(is_active=False)

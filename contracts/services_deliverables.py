"""Termination-assistance deliverables: applied when notice is served, then recorded.

One way in for every door (pages, API, admin, imports): `deliverable_errors()` holds the
rules of a deliverable as it would be saved, `deliverable_save()` creates, edits and records
one (received, accepted, rejected, waived), `deliverables_apply()` writes the default
checklist for a notice just served and `deliverables_close_on_withdrawal()` waives what a
withdrawn notice still had open (docs/exit-management.md).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from core.clock import local_today
from core.formats import short_date
from core.services import require_perm, validated_save
from core.signals import announce_deadlines_changed
from core.types import AuthUser, User

from .models import Deliverable, DeliverableTemplate, DueAnchor, ExitNotice
from .rules import EDIT_DELIVERABLE
from .services import stored_files_remove_on_commit

# What a person edits about a deliverable, and what recording it writes.
EDIT_FIELDS = ("title", "description", "category", "due_date", "owner")
RECORD_FIELDS = ("status", "received_on", "evidence", "acceptance_note")
DECIDED = (Deliverable.Status.ACCEPTED, Deliverable.Status.REJECTED)


def anchor_date(anchor: str, *, served_on: date, exit_date: date, assistance_end: date) -> date:
    """The day a template's offset counts from."""
    return {
        DueAnchor.SERVED: served_on,
        DueAnchor.EXIT: exit_date,
        DueAnchor.ASSISTANCE_END: assistance_end,
    }[DueAnchor(anchor)]


def template_due_date(template: DeliverableTemplate, notice: ExitNotice) -> date:
    """The due date of `template` for `notice`: its anchor date plus its offset in days.

    Never before the notice was received: a template counting back from the exit date
    further than the notice period would otherwise ask for something before notice.
    """
    start = anchor_date(
        template.anchor,
        served_on=notice.served_on,
        exit_date=notice.exit_date,
        assistance_end=notice.contract.assistance_end(notice.exit_date),
    )
    return max(notice.served_on, start + timedelta(days=template.offset_days))


def deliverable_errors(deliverable: Deliverable, *, today: date) -> dict[str, list[str]]:
    """What is wrong with `deliverable` as it would be saved, by field ({} when nothing).

    The rules every door applies (the model's own field and constraint checks come on top):
    due on or after the day notice was received, received no later than today, accepted or
    rejected only once received, a reason for a rejection or a waiver.
    """
    errors: dict[str, list[str]] = {}
    notice = deliverable.exit_notice if deliverable.exit_notice_id else None
    if notice is not None and deliverable.due_date and deliverable.due_date < notice.served_on:
        errors["due_date"] = [
            _(
                "A due date before notice: %(due)s is before the notice on %(contract)s "
                "was received (%(served)s)."
            )
            % {
                "due": short_date(deliverable.due_date),
                "contract": notice.contract.reference,
                "served": short_date(notice.served_on),
            }
        ]
    status = deliverable.status
    received = deliverable.received_on
    if received is not None and received > today:
        errors["received_on"] = [
            _("A deliverable cannot be received in the future (%(date)s).")
            % {"date": short_date(received)}
        ]
    elif received is None and status in (Deliverable.Status.RECEIVED, *DECIDED):
        errors["received_on"] = [
            _("Give the day “%(title)s” was received before recording it %(status)s.")
            % {"title": deliverable.title, "status": Deliverable.Status(status).label.lower()}
        ]
    note = (deliverable.acceptance_note or "").strip()
    if status == Deliverable.Status.REJECTED and not note:
        errors["acceptance_note"] = [
            _("Say why “%(title)s” is rejected.") % {"title": deliverable.title}
        ]
    elif status == Deliverable.Status.WAIVED and not note:
        errors["acceptance_note"] = [
            _("Say why “%(title)s” is waived.") % {"title": deliverable.title}
        ]
    return errors


def _check(deliverable: Deliverable, today: date) -> None:
    errors = deliverable_errors(deliverable, today=today)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def deliverable_save(
    *, actor: AuthUser, deliverable: Deliverable | None = None, **fields: Any
) -> Deliverable:
    """Create a deliverable on an exit notice, or edit or record one; all or nothing.

    `fields` are any of `EDIT_FIELDS`, `RECORD_FIELDS` and, on create, `exit_notice`.
    Recording accepted or rejected writes who decided and when; going back to requested or
    received clears it. Raises PermissionDenied or ValidationError (by field).
    """
    today = local_today()
    if deliverable is None or deliverable.pk is None:
        deliverable = deliverable or Deliverable()
        notice = fields.pop("exit_notice", None) or (
            deliverable.exit_notice if deliverable.exit_notice_id else None
        )
        if notice is None:
            raise ValidationError({"exit_notice": [_("Name the exit notice it is owed under.")]})
        require_perm(actor, EDIT_DELIVERABLE, notice)
        deliverable.exit_notice = notice
        deliverable.contract_id = notice.contract_id
        fields.setdefault("owner", notice.contract.owner)
        before = None
        replaced = ""
    else:
        # The stored notice decides who may edit: a lead cannot take another's deliverable.
        stored = Deliverable.objects.select_related("exit_notice__contract").get(pk=deliverable.pk)
        require_perm(actor, EDIT_DELIVERABLE, stored.exit_notice)
        notice = fields.pop("exit_notice", stored.exit_notice)
        if notice.pk != stored.exit_notice_id:
            raise ValidationError(
                {"exit_notice": [_("A deliverable stays with the notice it was owed under.")]}
            )
        deliverable.exit_notice = stored.exit_notice
        before = stored.status
        replaced = stored.evidence.name
    unknown = set(fields) - set(EDIT_FIELDS) - set(RECORD_FIELDS)
    if unknown:
        raise ValidationError(
            _("These fields cannot be set: %(names)s.") % {"names": ", ".join(sorted(unknown))}
        )
    evidence = fields.pop("evidence", None)
    for name, value in fields.items():
        setattr(deliverable, name, value)
    if evidence:
        deliverable.evidence = evidence
    status = deliverable.status
    # A form may have put the new status on the instance already: compare with the stored one.
    if status in DECIDED and (before != status or not deliverable.decided_by_id):
        deliverable.decided_by = actor
        deliverable.decided_on = today
    elif status not in DECIDED:
        deliverable.decided_by = None
        deliverable.decided_on = None
    _check(deliverable, today)
    # validated_save runs the model's checks too: the evidence's type and size, the title
    # unique within the notice; the file is written by the save, the last step.
    deliverable = validated_save(deliverable, actor=actor, perm=EDIT_DELIVERABLE, perm_obj=notice)
    if evidence and replaced and replaced != deliverable.evidence.name:
        # New evidence replaces the old: its file goes once this commits. The history keeps
        # the old file's name, not its content (docs/operations.md).
        stored_files_remove_on_commit(deliverable.evidence.storage, [replaced])
    announce_deadlines_changed(Deliverable, [deliverable.pk])  # reminders follow date, status
    return deliverable


@transaction.atomic
def deliverable_delete(*, deliverable: Deliverable, actor: User) -> None:
    """Delete a deliverable (the admin's delete); its evidence leaves storage once this
    commits. Its history stays, naming the file (docs/operations.md)."""
    require_perm(actor, EDIT_DELIVERABLE, deliverable.exit_notice)
    evidence = deliverable.evidence.name
    pk = deliverable.pk
    deliverable.delete()
    announce_deadlines_changed(Deliverable, [pk])
    stored_files_remove_on_commit(deliverable.evidence.storage, [evidence])


def deliverables_apply(*, notice: ExitNotice, actor: User | None) -> list[Deliverable]:
    """Write the default checklist for a notice just served: one deliverable per active
    template, owned by the contract's owner, requested. Two queries and the history's.

    Called by the notice service inside its transaction, after its own permission check.
    """
    templates = list(DeliverableTemplate.objects.filter(active=True).order_by("position", "pk"))
    if not templates:
        return []
    rows = [
        Deliverable(
            exit_notice=notice,
            contract_id=notice.contract_id,
            template=template,
            title=template.title,
            description=template.description,
            category=template.category,
            due_date=template_due_date(template, notice),
            owner_id=notice.contract.owner_id,
            status=Deliverable.Status.REQUESTED,
        )
        for template in templates
    ]
    created = bulk_create_with_history(rows, Deliverable, default_user=actor)
    # Their ids where the database returns them (PostgreSQL, SQLite); else any deliverable.
    ids = [row.pk for row in created]
    announce_deadlines_changed(Deliverable, None if None in ids else ids)
    return created


def deliverables_close_on_withdrawal(*, notice: ExitNotice, actor: User | None) -> int:
    """Waive what a withdrawn notice was still owed, noting why; returns how many.

    Nothing is owed once notice is withdrawn: requested and rejected deliverables are
    waived. What was received stays as it is, on record, to be accepted or not. Called by
    the notice service inside its transaction.
    """
    note = _("Notice withdrawn on %(date)s.") % {
        "date": short_date(notice.withdrawn_on or local_today())
    }
    owed = (Deliverable.Status.REQUESTED, Deliverable.Status.REJECTED)
    rows = list(Deliverable.objects.filter(exit_notice=notice, status__in=owed).select_for_update())
    for row in rows:
        row.status = Deliverable.Status.WAIVED
        row.acceptance_note = f"{row.acceptance_note}\n{note}".strip()
        row._history_user = actor  # type: ignore[attr-defined]  # simple-history's hook
        row.save(update_fields=["status", "acceptance_note", "updated_at"])
    announce_deadlines_changed(Deliverable, [row.pk for row in rows])
    return len(rows)

"""Import of historical exit notices, through the notice services (all or nothing)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from import_export import fields

from contracts.models import Contract, ExitNotice
from core.resources import NaturalKeyResource
from core.widgets import (
    DEPENDENCY_SEPARATOR,
    BooleanWidget,
    IsoDateWidget,
    NaturalKeyWidget,
    iso_key,
    text,
)

from ..models import OutsourcedProcess, ProcessEvent
from ..services import TransitionBlocked, notice_serve, notice_withdraw


class OptionalBooleanWidget(BooleanWidget):
    """Yes, no, or an empty cell for "not known"."""

    def clean(self, value, row=None, **kwargs):
        return None if text(value) == "" else super().clean(value, row=row, **kwargs)


class ExitNoticeResource(NaturalKeyResource):
    """Exit notices, identified by contract + received date + the processes named.

    Notices are legal acts on the workflow, so rows are not bulk-written: each new row is
    served through `notice_serve` (its processes still outsourced move to exit notice, one
    event each, as on the contract page) and, with a `withdrawn_on`, withdrawn through
    `notice_withdraw`, in file order — list older notices first. `processes` names
    processes under the contract, separated by ";"; empty means the whole contract. A row
    matching a notice already recorded updates its details (dispatch, method, recipient,
    signatory, note) and may withdraw it; it cannot change or undo a withdrawal.
    """

    key_columns = ("contract", "served_on")
    computed_columns = ("exit_date",)
    select_related = ("contract",)
    # What a notice is keyed and exported by besides its fields: the processes it named.
    prefetch_related = (
        "processes",
        Prefetch(
            "events",
            queryset=ProcessEvent.objects.filter(transition="serve_exit_notice").select_related(
                "process"
            ),
            to_attr="serve_events",
        ),
    )
    # The record's details an import may correct on a notice already recorded.
    DETAIL_FIELDS = ("dispatched_on", "method", "recipient", "signed_by", "note")

    contract = fields.Field(
        attribute="contract",
        column_name="contract",
        widget=NaturalKeyWidget(Contract, field="reference"),
    )
    processes = fields.Field(column_name="processes")
    provider_agreed = fields.Field(
        attribute="provider_agreed", column_name="provider_agreed", widget=OptionalBooleanWidget()
    )
    exit_date = fields.Field(
        attribute="exit_date", column_name="exit_date", readonly=True, widget=IsoDateWidget()
    )

    class Meta:
        model = ExitNotice
        fields = (
            "contract",
            "scope",
            *ExitNotice.INPUT_FIELDS,
            "processes",
            *ExitNotice.WITHDRAWAL_FIELDS,
            "exit_date",
        )
        export_order = fields
        import_id_fields = ("contract", "served_on")
        # One service call per row (few rows): the workflow, not a bulk write, moves processes.
        use_bulk = False

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.known_contracts: set[str] = set()
        self.processes_by_name: dict[str, list[OutsourcedProcess]] = {}
        self.named: list[int] = []  # the processes the current row names, resolved

    # Keys: the same contract may have notices received the same day on other processes.

    @staticmethod
    def _names(value) -> list[str]:
        names = (name.strip() for name in text(value).split(DEPENDENCY_SEPARATOR))
        return sorted(dict.fromkeys(name for name in names if name))

    def instance_key(self, instance):
        return (
            instance.contract.reference,
            instance.served_on.isoformat(),
            self._key_names(instance),
        )

    def row_key(self, row):
        names = DEPENDENCY_SEPARATOR.join(self._names(row.get("processes")))
        return (text(row.get("contract")), iso_key(row.get("served_on")), names)

    def _key_names(self, notice) -> str:
        if notice.scope == ExitNotice.Scope.WHOLE:
            return ""
        return DEPENDENCY_SEPARATOR.join(self._named_by(notice))

    @staticmethod
    def _named_by(notice) -> list[str]:
        """The processes a notice named: those served under it, and those under it now."""
        names = {event.process.name for event in getattr(notice, "serve_events", [])}
        names |= {process.name for process in notice.processes.all()}
        return sorted(names)

    def get_import_queryset(self):
        return super().get_import_queryset().prefetch_related(*self.prefetch_related)

    def required_columns(self):
        # The scope follows from `processes` when it is left out.
        return [column for column in super().required_columns() if column != "scope"]

    # Export

    def dehydrate_processes(self, notice):
        if notice.scope == ExitNotice.Scope.WHOLE:
            return ""
        return f"{DEPENDENCY_SEPARATOR} ".join(self._named_by(notice))

    # Import

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        references = {text(value) for value in dataset["contract"]} if dataset.headers else set()
        names = set()
        if "processes" in (dataset.headers or []):
            for value in dataset["processes"]:
                names.update(self._names(value))
        # Every process of these names, under any contract, so a row naming one under another
        # contract can say where it is: one query for the file.
        self.processes_by_name = {}
        for process in OutsourcedProcess.objects.filter(name__in=names).select_related(
            "contract", "programme"
        ):
            self.processes_by_name.setdefault(process.name, []).append(process)
        self.known_contracts = set(
            Contract.objects.filter(reference__in=references).values_list("reference", flat=True)
        )

    def before_import_row(self, row, row_number=None, **kwargs):
        super().before_import_row(row, row_number=row_number, **kwargs)
        self.named = []
        reference = text(row.get("contract"))
        if reference not in self.known_contracts:
            return  # the contract column reports it
        problems = []
        for name in self._names(row.get("processes")):
            found = self.processes_by_name.get(name, [])
            mine = [p for p in found if p.contract.reference == reference]
            if len(mine) == 1:
                self.named.append(mine[0].pk)
            elif mine:
                problems.append(
                    _("Contract %(ref)s has several processes “%(name)s” (programmes %(in)s).")
                    % {
                        "ref": reference,
                        "name": name,
                        "in": ", ".join(sorted(p.programme.name for p in mine)),
                    }
                )
            elif found:
                problems.append(
                    _("Process “%(name)s” is not under contract %(ref)s but under %(other)s.")
                    % {
                        "name": name,
                        "ref": reference,
                        "other": ", ".join(sorted({p.contract.reference for p in found})),
                    }
                )
            else:
                problems.append(
                    _("Contract %(ref)s has no process “%(name)s”.")
                    % {"ref": reference, "name": name}
                )
        if problems:
            raise ValidationError({"processes": problems})

    def clean_instance(self, instance, exclude):
        errors = {}
        scope = ExitNotice.Scope.PROCESSES if self.named else ExitNotice.Scope.WHOLE
        if instance.scope and instance.scope != scope:
            errors["scope"] = (
                _("A notice on named processes needs them in the processes column.")
                if instance.scope == ExitNotice.Scope.PROCESSES
                else _("A notice on the whole contract names no processes: empty that column.")
            )
        instance.scope = scope
        if instance._state.adding and instance.contract_id and instance.served_on:
            instance.exit_date = instance.contract.exit_date_if_served(instance.served_on)
        if instance.withdrawal_reason.strip() and instance.withdrawn_on is None:
            errors["withdrawn_on"] = _("Give the date of the withdrawal, or empty its reason.")
        if instance.withdrawn_on is not None and not instance.withdrawal_reason.strip():
            errors["withdrawal_reason"] = _("Give a reason for withdrawing the notice.")
        try:
            super().clean_instance(instance, exclude | {"exit_date"})
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_instance(self, instance, is_create, row, **kwargs):
        self.before_save_instance(instance, row, **kwargs)
        try:
            notice = self._serve(instance) if is_create else self._correct(instance)
            if instance.withdrawn_on is not None and notice.is_active:
                notice = notice_withdraw(
                    actor=self.actor,
                    notice=notice,
                    reason=instance.withdrawal_reason,
                    provider_agreed=instance.provider_agreed,
                    withdrawn_on=instance.withdrawn_on,
                )
        except TransitionBlocked as blocked:
            # Each reason names its process.
            raise ValidationError({"processes": blocked.reasons}) from None
        instance.pk = notice.pk
        instance.exit_date = notice.exit_date
        self.after_save_instance(instance, row, **kwargs)

    def _serve(self, instance) -> ExitNotice:
        return notice_serve(
            actor=self.actor,
            contract=instance.contract,
            served_on=instance.served_on,
            processes=self.named or None,
            method=instance.method,
            dispatched_on=instance.dispatched_on,
            recipient=instance.recipient,
            signed_by=instance.signed_by,
            note=instance.note,
        )

    def _correct(self, instance) -> ExitNotice:
        """Update the details of a notice already recorded; its withdrawal stays as it is."""
        stored = ExitNotice.objects.select_for_update().get(pk=instance.pk)
        if not stored.is_active and (
            instance.withdrawn_on != stored.withdrawn_on
            or instance.withdrawal_reason.strip() != stored.withdrawal_reason
        ):
            raise ValidationError(
                {
                    "withdrawn_on": _(
                        "This notice was withdrawn on %(date)s; an import cannot change "
                        "or undo its withdrawal."
                    )
                    % {"date": stored.withdrawn_on.isoformat()}
                }
            )
        changed = [f for f in self.DETAIL_FIELDS if getattr(stored, f) != getattr(instance, f)]
        if changed:
            for name in changed:
                setattr(stored, name, getattr(instance, name))
            stored.full_clean()
            stored._history_user = self.actor
            stored.save(update_fields=changed)
        return stored


# Import kinds offered in the browser and the admin, in the order they depend on each other.

"""Bulk actions on register lists: tick rows, pick an action, apply it to all of them or to
none (docs/bulk-actions.md).

An action is described once (`BulkAction`): the rule checked on every row, an optional
parameter (the new owner, the new status) and a function that calls the app's own service
for ONE row, as the single edit does. `BulkActionsMixin` gives a `RegisterListView` the
POST that runs it: the rows are read through the list's own filtered query set (a user only
acts on rows the list would show), every row's permission is checked before anything is
written, and the whole batch runs in one transaction, rolled back at the first refusal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core.types import User

MAX_ROWS = 500
# The rows a summary names before it says "and N more".
NAMED_ROWS = 10
EXPORT_FORMATS = ("csv", "xlsx")

# `(row, actor, value) -> changed`: calls the row's service; False when the row already was
# as asked (nothing written), True otherwise. Raises ValidationError or PermissionDenied.
Run = Callable[[Any, User, Any], bool]


@dataclass(frozen=True)
class BulkAction:
    """One thing a list lets you do to many rows, through the service of a single edit.

    `done` and `unchanged` finish the summary ("3 milestones <done>: A, B, C; 1 <unchanged>"),
    with `%(value)s` for the parameter as shown. `field(view)` builds the parameter's form
    field (its label names it in a refusal; the view lets it reuse choices the list has
    read already); without one the action takes no parameter.
    """

    key: str
    label: str
    permission: str
    run: Run
    done: str
    unchanged: str = ""
    field: Callable[[Any], forms.Field] | None = None

    def parameter_form(self, view, data=None) -> forms.Form | None:
        if self.field is None:
            return None
        field = self.field(view)
        css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
        field.widget.attrs.setdefault("class", f"{css} {css}-sm")
        form_class = type("BulkParameterForm", (forms.Form,), {self.key: field})
        # No `required` attribute: the other actions' parameters are hidden, and a hidden
        # required field would block the toolbar's submit; the server checks instead.
        return form_class(data=data, prefix="bulk", use_required_attribute=False)


class BulkRefused(Exception):
    """Rolls back a batch; carries the reasons for the message (one per refused row)."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons)
        self.reasons = reasons


def set_field(service: Callable[..., Any], item_argument: str, field: str) -> Run:
    """A run that sets one field through `service(actor=, <item_argument>=row, <field>=v)`,
    as the row's edit form does; a row already holding the value is left alone."""

    def run(row: models.Model, actor: User, value: Any) -> bool:
        current = getattr(row, field)
        if current == value:
            return False
        service(actor=actor, **{item_argument: row, field: value})
        return True

    return run


def call_service(service: Callable[..., Any], item_argument: str, **fixed: Any) -> Run:
    """A run that calls `service(actor=, <item_argument>=row, **fixed)` (e.g. a delete)."""

    def run(row: models.Model, actor: User, value: Any) -> bool:
        service(actor=actor, **{item_argument: row}, **fixed)
        return True

    return run


def delete_action(service: Callable[..., Any], item_argument: str, permission: str) -> BulkAction:
    """Delete the rows through the single delete's service (refused while others refer)."""
    return BulkAction(
        key="delete",
        label=gettext_lazy("Delete"),
        permission=permission,
        run=call_service(service, item_argument),
        done=gettext_lazy("deleted"),
    )


def owner_action(
    service: Callable[..., Any],
    item_argument: str,
    permission: str,
    field: Callable[[Any], forms.Field],
    *,
    key: str = "owner",
    attribute: str = "",
    label: str = gettext_lazy("Reassign owner"),
    done: str = gettext_lazy("now owned by %(value)s"),
    unchanged: str = gettext_lazy("already owned by %(value)s, unchanged"),
) -> BulkAction:
    """Set a person field (owner, lead) of every row through its edit service; `attribute`
    is `<key>_id` when the parameter is a user's id rather than a user."""
    return BulkAction(
        key=key,
        label=label,
        permission=permission,
        run=set_field(service, item_argument, attribute or key),
        done=done,
        unchanged=unchanged,
        field=field,
    )


def status_action(
    service: Callable[..., Any],
    item_argument: str,
    permission: str,
    choices: Sequence[tuple[str, str]],
) -> BulkAction:
    """Set the status of every row through its edit service."""
    return BulkAction(
        key="status",
        label=gettext_lazy("Change status"),
        permission=permission,
        run=set_field(service, item_argument, "status"),
        done=gettext_lazy("set to %(value)s"),
        unchanged=gettext_lazy("already %(value)s, unchanged"),
        field=lambda view: forms.ChoiceField(label=_("New status"), choices=choices),
    )


class BulkSelectionError(ValueError):
    """The posted selection cannot be used; the message says why."""


def selected_ids(values: list[str]) -> list[int]:
    """The row ids of a request, checked: at least one, at most MAX_ROWS, all numbers."""
    if not values:
        raise BulkSelectionError(_("Select at least one row first."))
    ids: list[int] = []
    for value in values:
        text = value.strip()
        if not text.isascii() or not text.isdigit():
            raise BulkSelectionError(
                _("“%(value)s” is not a row of this list.") % {"value": text[:20]}
            )
        ids.append(int(text))
    unique = list(dict.fromkeys(ids))
    if len(unique) > MAX_ROWS:
        raise BulkSelectionError(
            _("Select at most %(max)s rows at once (%(count)s were selected).")
            % {"max": MAX_ROWS, "count": len(unique)}
        )
    return unique


def named(rows: Sequence[object]) -> str:
    """The rows' names for a message, cut after NAMED_ROWS."""
    names = [f"“{row}”" for row in rows[:NAMED_ROWS]]
    if len(rows) > NAMED_ROWS:
        names.append(
            ngettext("%(count)s more", "%(count)s more", len(rows) - NAMED_ROWS)
            % {"count": len(rows) - NAMED_ROWS}
        )
    return get_text_list(names, _("and"))


def count_of(model: type[models.Model], count: int) -> str:
    meta = model._meta
    name = meta.verbose_name if count == 1 else meta.verbose_name_plural
    return f"{count} {name}"


def run_batch(action: BulkAction, rows: list, *, actor: User, value: Any) -> tuple[list, list]:
    """Run `action` on every row in one transaction; (changed, unchanged) rows.

    Every row's permission is checked before anything is written; then each row's service
    runs, and the first refusal of any row rolls back every row (BulkRefused). A refusal
    found on later rows is reported too, so one attempt lists every row in the way.
    """
    denied = [row for row in rows if not actor.has_perm(action.permission, row)]
    if denied:
        raise BulkRefused(
            [_("You may not change %(rows)s.") % {"rows": named(denied)}],
        )
    changed: list = []
    unchanged: list = []
    reasons: list[str] = []
    with transaction.atomic():
        for row in rows:
            name = str(row)  # before a delete clears the row's pk
            try:
                with transaction.atomic():
                    done = action.run(row, actor, value)
            except ValidationError as error:
                reasons.append(f"“{name}”: {' '.join(error.messages)}")
                continue
            except PermissionDenied as error:
                reasons.append(f"“{name}”: {error}")
                continue
            (changed if done else unchanged).append(name)
        if reasons:
            raise BulkRefused(reasons)
    return changed, unchanged


class BulkActionsMixin:
    """Bulk actions for a `RegisterListView` (put it before the view in the bases).

    A list sets `bulk_actions`; they are offered to whoever the list offers "New"
    (`can_add()`, e.g. a project lead on the plan lists), and every row is checked again
    against the action's rule. "Export the selection" is `?export=csv&ids=…` (or the same
    as a POST from the toolbar), through the list's own export.
    """

    bulk_actions: tuple[BulkAction, ...] = ()

    def bulk_offered(self, may_edit: bool | None = None) -> list[BulkAction]:
        """The actions offered; `may_edit` is `can_add()` when the caller has it already."""
        if not self.bulk_actions:
            return []
        if may_edit is None:
            may_edit = self.can_add()
        return list(self.bulk_actions) if may_edit else []

    def bulk_ids(self) -> list[int] | None:
        """The selection of an export (None: the whole list)."""
        return getattr(self, "_bulk_ids", None)

    def export_queryset(self):
        rows = super().export_queryset()
        ids = self.bulk_ids()
        return rows if ids is None else rows.filter(pk__in=ids)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") in EXPORT_FORMATS and "ids" in request.GET:
            try:
                self._bulk_ids = selected_ids(request.GET.getlist("ids"))
            except BulkSelectionError as error:
                messages.error(request, str(error))
                return self.back_to_list()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        offered = {action.key: action for action in self.bulk_offered()}
        if not offered:
            # Not offered at all (a viewer, or a project lead on the processes): as the
            # single edit's page would answer.
            raise PermissionDenied(_("You do not have permission to do this."))
        export_format = request.POST.get("export")
        action = offered.get(request.POST.get("action", ""))
        if action is None and export_format not in EXPORT_FORMATS:
            messages.error(request, _("Choose one of the actions offered."))
            return self.back_to_list()
        try:
            ids = selected_ids(request.POST.getlist("ids"))
        except BulkSelectionError as error:
            messages.error(request, str(error))
            return self.back_to_list()
        if export_format in EXPORT_FORMATS and self.resource_class is not None:
            self._bulk_ids = ids
            return self.export(export_format)
        assert action is not None  # noqa: S101 - checked above
        # The list's filters, read once: the rows come through them, and a parameter may
        # reuse their choices (the process list's owners and leads).
        self.filterset = self.get_filterset(self.get_filterset_class())
        return self.bulk_apply(action, ids)

    def bulk_apply(self, action: BulkAction, ids: list[int]) -> HttpResponseBase:
        request = self.request
        value = None
        form = action.parameter_form(self, request.POST)
        if form is not None:
            if not form.is_valid():
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    messages.error(request, f"{label}: {' '.join(errors)}")
                return self.back_to_list()
            value = form.cleaned_data[action.key]
        rows = list(self.bulk_queryset(ids))
        missing = len(ids) - len(rows)
        if missing:
            messages.error(
                request,
                ngettext(
                    "%(count)s selected row is not in this list (deleted meanwhile, or outside "
                    "its filters); nothing was changed.",
                    "%(count)s selected rows are not in this list (deleted meanwhile, or "
                    "outside its filters); nothing was changed.",
                    missing,
                )
                % {"count": missing},
            )
            return self.back_to_list()
        try:
            changed, unchanged = run_batch(action, rows, actor=request.user, value=value)
        except BulkRefused as refusal:
            messages.error(
                request,
                _("%(action)s: nothing was changed. %(reasons)s")
                % {"action": action.label, "reasons": " ".join(refusal.reasons)},
            )
            return self.back_to_list()
        shown = self.bulk_value_label(value, form)
        messages.success(request, self.bulk_summary(action, shown, changed, unchanged))
        return self.back_to_list()

    def bulk_queryset(self, ids: list[int]):
        """The selected rows as the list shows them (its filter and search), in its order."""
        valid = not self.filterset.is_bound or self.filterset.is_valid()
        rows = self.filterset.qs if valid else self.filterset.queryset.none()
        return rows.filter(pk__in=ids)

    def bulk_summary(self, action: BulkAction, value: str, changed: list, unchanged: list) -> str:
        """E.g. 3 milestones marked done: “A”, “B” and “C”; 1 already done, unchanged: “D”."""
        shown = {"value": value}
        parts = []
        if changed or not unchanged:
            parts.append(
                f"{count_of(self.model, len(changed))} {action.done % shown}"
                + (f": {named(changed)}" if changed else "")
            )
        if unchanged:
            parts.append(f"{len(unchanged)} {action.unchanged % shown}: {named(unchanged)}")
        return "; ".join(parts) + "."

    @staticmethod
    def bulk_value_label(value: Any, form: forms.Form | None) -> str:
        """The parameter as people read it: a person's name, a status's label."""
        if value is None or form is None:
            return ""
        full_name = getattr(value, "get_full_name", None)
        if full_name is not None:
            return full_name() or value.get_username()
        field = next(iter(form.fields.values()))
        return str(dict(getattr(field, "choices", ())).get(value, value))

    def back_to_list(self) -> HttpResponseRedirect:
        """Back to the list as it was, filters and page kept (post/redirect/get)."""
        query = self.request.GET.copy()
        query.pop("export", None)
        query.pop("ids", None)
        return HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}".rstrip("?"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The list has just asked `can_add()` for its "New" button: no second query.
        offered = self.bulk_offered(context.get("can_add"))
        context["bulk_actions"] = [
            {"action": action, "form": action.parameter_form(self)} for action in offered
        ]
        return context

"""Moving a milestone with its successors: a preview, then one confirmed move, then Undo.

The page posts the new due date; without `confirm` it answers with the preview (what moves,
which successors have slack, the findings the plan would gain); with it, the service moves
everything in one transaction. The moves are kept in the session, per process, so the page
can offer to put them back (docs/plan.md, "Moving a milestone with its successors").
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from core.formats import short_date
from core.views import add_validation_errors

from ..forms import DATE_INPUT
from ..models import Milestone
from ..services import reschedule as service
from .common import EDIT_PLAN, require


def undo_key(process_id: int) -> str:
    """The session key of a process's last move, until it is undone."""
    return f"transition.reschedule_undo.{process_id}"


class RescheduleForm(forms.Form):
    due_date = forms.DateField(label=gettext_lazy("New due date"), widget=DATE_INPUT)
    move_successors = forms.BooleanField(
        label=gettext_lazy("Move successors that would otherwise start before it is due"),
        required=False,
        initial=True,
    )


class MilestoneMixin(LoginRequiredMixin):
    def milestone_of(self, pk: int) -> Milestone:
        milestone = get_object_or_404(
            Milestone.objects.select_related("process", "process__programme", "process__contract"),
            pk=pk,
        )
        require(self.request.user, EDIT_PLAN, milestone.process)
        return milestone


class MilestoneRescheduleView(MilestoneMixin, View):
    """GET: the form (and Undo for the last move). POST: the preview, or with `confirm`,
    the move; refused, the form again with why, nothing written."""

    template_name = "transition/milestone_reschedule.html"

    def get(self, request, pk: int):
        milestone = self.milestone_of(pk)
        form = RescheduleForm(initial={"due_date": milestone.due_date, "move_successors": True})
        return self.render(milestone, form)

    def post(self, request, pk: int):
        milestone = self.milestone_of(pk)
        form = RescheduleForm(request.POST)
        if not form.is_valid():
            return self.render(milestone, form, status=400)
        new_due = form.cleaned_data["due_date"]
        with_successors = form.cleaned_data["move_successors"]
        try:
            preview = service.milestone_reschedule_preview(
                actor=request.user,
                milestone=milestone,
                new_due=new_due,
                with_successors=with_successors,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            return self.render(milestone, form, status=400)
        confirm = "confirm" in request.POST
        if not confirm or not preview.moves or preview.refused:
            status = 400 if confirm and preview.refused else 200
            return self.render(milestone, form, preview=preview, status=status)
        try:
            result = service.milestone_reschedule(
                actor=request.user,
                milestone=milestone,
                new_due=new_due,
                with_successors=with_successors,
                expected=request.POST.get("expected", ""),
            )
        except ValidationError as error:
            add_validation_errors(form, error)
            # The plan as it is now (another edit may have landed since the preview).
            milestone = self.milestone_of(pk)
            try:
                preview = service.milestone_reschedule_preview(
                    actor=request.user,
                    milestone=milestone,
                    new_due=new_due,
                    with_successors=with_successors,
                )
            except ValidationError:
                preview = None
            return self.render(milestone, form, preview=preview, status=400)
        request.session[undo_key(milestone.process_id)] = {
            "milestone": milestone.pk,
            "moves": service.undo_record(result),
        }
        messages.success(request, moved_message(result))
        return HttpResponseRedirect(reverse("transition:milestone_reschedule", args=[pk]))

    def render(self, milestone, form, *, preview=None, status=200):
        record = self.request.session.get(undo_key(milestone.process_id)) or {}
        context = {
            "milestone": milestone,
            "process": milestone.process,
            "form": form,
            "preview": preview,
            "undo_moves": service.moves_from(record.get("moves", [])),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)


class MilestoneRescheduleUndoView(MilestoneMixin, View):
    """Put back the dates of the process's last move, for the milestones still at them."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        milestone = self.milestone_of(pk)
        key = undo_key(milestone.process_id)
        back = reverse("transition:milestone_reschedule", args=[pk])
        moves = service.moves_from((request.session.get(key) or {}).get("moves", []))
        if not moves:
            messages.info(request, _("There is no move to undo."))
            return HttpResponseRedirect(back)
        try:
            undone = service.milestone_reschedule_undo(
                actor=request.user, process=milestone.process, moves=moves
            )
        except ValidationError as error:
            messages.error(
                request,
                _("Nothing was put back: %(reason)s") % {"reason": " ".join(error.messages)},
            )
            return HttpResponseRedirect(back)
        del request.session[key]
        if undone.restored:
            messages.success(request, undone_message(undone))
        for skipped in undone.skipped:
            messages.warning(request, _("Left as it is: %(reason)s") % {"reason": skipped})
        return HttpResponseRedirect(back)


def moved_message(result: service.Reschedule) -> str:
    count = len(result.moves)
    return ngettext(
        "Moved %(count)d milestone: “%(title)s” is now due %(due)s (was %(old)s).",
        "Moved %(count)d milestones: “%(title)s” is now due %(due)s (was %(old)s) and its "
        "successors follow.",
        count,
    ) % {
        "count": count,
        "title": result.title,
        "due": short_date(result.new_due),
        "old": short_date(result.old_due),
    }


def undone_message(undone: service.Undone) -> str:
    count = len(undone.restored)
    names = ", ".join(
        _("“%(title)s” due %(due)s") % {"title": move.title, "due": short_date(move.old_due)}
        for move in undone.restored
    )
    return ngettext(
        "Put back %(count)d milestone: %(names)s.",
        "Put back %(count)d milestones: %(names)s.",
        count,
    ) % {"count": count, "names": names}

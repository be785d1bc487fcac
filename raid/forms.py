"""The RAID item form: one form for the four kinds, the kind's own fields checked by the model."""

from django import forms
from django.utils.translation import gettext_lazy as _
from rules import has_perm

from accounts.selectors import plan_owners
from transition.filters import UserChoiceField
from transition.forms import DATE_INPUT, ProcessChoiceField
from transition.models import OutsourcedProcess, Programme
from transition.selectors import active_users, editable_processes

from .models import RaidItem

EDIT_PROGRAMME = "transition.edit_programme"


class RaidItemForm(forms.ModelForm):
    """Of a process the user may edit, or (for operations managers) of a whole programme."""

    owner = UserChoiceField(label=_("Owner"), queryset=plan_owners(), required=False)
    made_by = UserChoiceField(label=_("Made by"), queryset=active_users(), required=False)

    class Meta:
        model = RaidItem
        fields = RaidItem.INPUT_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "rationale": forms.Textarea(attrs={"rows": 3}),
            "due_date": DATE_INPUT,
            "decision_date": DATE_INPUT,
            "probability": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "impact": forms.NumberInput(attrs={"min": 1, "max": 5}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Who may own an item: never a viewer; its owner stays after a change of role.
        self.fields["owner"].queryset = plan_owners(also=self.instance.owner_id)
        process = ProcessChoiceField(
            label=_("Process"), queryset=editable_processes(user), required=False
        )
        self.fields["process"] = process
        programme = self.fields["programme"]
        programme.queryset = Programme.objects.order_by("name")
        if not has_perm(EDIT_PROGRAMME, user):
            # A project lead logs items of the processes they lead only.
            del self.fields["programme"]
        if self.instance.pk:
            # An item stays with its process or programme: its history reads as one log.
            process.disabled = True
            process.queryset = OutsourcedProcess.objects.select_related("programme").filter(
                pk=self.instance.process_id
            )
            if "programme" in self.fields:
                self.fields["programme"].disabled = True

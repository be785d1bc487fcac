"""Moving a milestone with its successors (`POST /milestones/{id}/reschedule/`).

The shapes only: `transition.services.reschedule` previews and applies the move, the same
service the page calls (docs/plan.md, "Moving a milestone with its successors").
"""

from __future__ import annotations

from rest_framework import serializers

from .common import PlausibleDateField
from .processes import ScheduleIssueSerializer


class RescheduleInputSerializer(serializers.Serializer):
    due_date = PlausibleDateField(help_text="The milestone's new due date.")
    dry_run = serializers.BooleanField(
        default=True,
        help_text="True (the default): only say what would move. False: move them, all or none.",
    )
    move_successors = serializers.BooleanField(
        default=True,
        help_text="Move the open successors that would otherwise begin before it is due.",
    )


class RescheduleMoveSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    title = serializers.CharField()
    old_start = serializers.DateField(allow_null=True)
    old_due = serializers.DateField()
    new_start = serializers.DateField(allow_null=True)
    new_due = serializers.DateField()
    days = serializers.IntegerField(help_text="Days moved: positive later, negative earlier.")


class RescheduleStaySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    title = serializers.CharField()
    start = serializers.DateField(allow_null=True)
    due = serializers.DateField()
    done = serializers.BooleanField()
    slack_days = serializers.IntegerField(
        allow_null=True,
        help_text="Days between the latest new due date of the moved milestones it waits for "
        "and the day it begins; null when done or waiting only for milestones that stay.",
    )


class RescheduleSerializer(serializers.Serializer):
    applied = serializers.BooleanField(help_text="Whether the moves were written.")
    moves = RescheduleMoveSerializer(
        many=True, help_text="The milestone first, then each successor that follows it."
    )
    unmoved = RescheduleStaySerializer(
        many=True, source="stays", help_text="Successors that keep their dates."
    )
    findings = ScheduleIssueSerializer(
        many=True, help_text="Schedule findings the plan would gain (saved and flagged)."
    )

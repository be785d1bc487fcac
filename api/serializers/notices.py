"""Exit notices: served and withdrawn through the notice services."""

from __future__ import annotations

from rest_framework import serializers

from contracts.models import ExitNotice
from transition import services as transition_services
from transition.models import (
    OutsourcedProcess,
)

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.
from .common import PlausibleDateField, ServiceModelSerializer
from .files import DownloadLinkFileField


class ExitNoticeSerializer(ServiceModelSerializer):
    """Exit notice on a contract. Serving it moves every process in its scope to exit notice,
    or none of them; a withdrawal is written on it, never a deletion."""

    # Read from ExitNoticeViewSet.get_queryset(): the contract joined (assistance end), the
    # processes prefetched. The service checks the proof's type and size (full_clean); the
    # model's validators are left off here so the response's URL carries no file-name pattern.
    proof = DownloadLinkFileField(
        view_name="api:notice-proof",
        args=lambda notice: [notice.pk],
        required=False,
        allow_null=True,
        max_length=100,
        help_text=(
            "Proof of service (signed letter, courier receipt, portal screenshot): PDF, PNG, "
            "JPG, DOCX or TXT, sent as multipart/form-data. In a response: the URL that "
            "downloads it (signed-in users), or null."
        ),
    )
    processes = serializers.PrimaryKeyRelatedField(
        many=True,
        required=False,
        queryset=OutsourcedProcess.objects.all(),
        help_text=(
            "Processes under the contract that the notice names; empty or omitted: the whole "
            "contract. In a response: the processes in its scope now."
        ),
    )
    assistance_end = serializers.DateField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = ExitNotice
        fields = [
            "id",
            "contract",
            "scope",
            *ExitNotice.INPUT_FIELDS,
            "exit_date",
            "assistance_end",
            "proof",
            "served_by",
            "created_at",
            *ExitNotice.WITHDRAWAL_FIELDS,
            "withdrawn_by",
            "processes",
            "is_active",
        ]
        # Worked out by the service (scope, exit date) or written only by a withdrawal.
        read_only_fields = [
            "scope",
            "exit_date",
            "served_by",
            "created_at",
            *ExitNotice.WITHDRAWAL_FIELDS,
            "withdrawn_by",
        ]

    def create(self, validated_data):
        processes = [process.pk for process in validated_data.pop("processes", [])]
        return transition_services.notice_serve(
            actor=self.actor, processes=processes, **validated_data
        )


class NoticeWithdrawalSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the notice is withdrawn.")
    provider_agreed = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whether the provider agreed to the withdrawal; null when not known.",
    )
    withdrawn_on = PlausibleDateField(
        required=False, help_text="Between the day notice was received and today (today)."
    )

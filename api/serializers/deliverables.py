"""Termination-assistance deliverables: created, edited and recorded through the service."""

from __future__ import annotations

from rest_framework import serializers

from contracts.models import Deliverable, ExitNotice
from contracts.services_deliverables import deliverable_save

from .common import ServiceModelSerializer
from .files import DownloadLinkFileField


class DeliverableSerializer(ServiceModelSerializer):
    """What the provider owes under an exit notice, by when, and what was received.

    Created with the notice it is owed under (`exit_notice`); the contract follows from it
    and the owner defaults to the contract's owner. A due date before the notice was
    received is refused. Recording `accepted` or `rejected` writes `decided_by` and
    `decided_on`; a rejection or a waiver needs an `acceptance_note`.
    """

    exit_notice = serializers.PrimaryKeyRelatedField(queryset=ExitNotice.objects.all())
    # The service checks the evidence's type and size (full_clean), as for notices' proof.
    evidence = DownloadLinkFileField(
        view_name="api:deliverable-evidence",
        args=lambda deliverable: [deliverable.pk],
        required=False,
        allow_null=True,
        max_length=100,
        help_text=(
            "Evidence received: PDF, PNG, JPG, DOCX, XLSX, ODT or TXT, sent as "
            "multipart/form-data. In a response: the URL that downloads it (signed-in "
            "users), or null."
        ),
    )
    is_open = serializers.BooleanField(read_only=True, help_text="Still owed.")

    class Meta:
        model = Deliverable
        fields = [
            "id",
            "contract",
            *Deliverable.INPUT_FIELDS,
            "evidence",
            "template",
            "decided_by",
            "decided_on",
            "is_open",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "contract",
            "template",
            "decided_by",
            "decided_on",
            "created_at",
            "updated_at",
        ]

    def validate(self, attrs):
        if self.instance is not None and "exit_notice" in attrs:
            if attrs["exit_notice"].pk != self.instance.exit_notice_id:
                raise serializers.ValidationError(
                    {"exit_notice": "A deliverable stays with the notice it was owed under."}
                )
            attrs.pop("exit_notice")
        if attrs.get("evidence") is None:
            attrs.pop("evidence", None)
        return attrs

    def create(self, validated_data):
        return deliverable_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return deliverable_save(actor=self.actor, deliverable=instance, **validated_data)

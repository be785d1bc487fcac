"""Change-freeze periods of a programme (docs/plan.md, "Change freezes")."""

from __future__ import annotations

from rest_framework import serializers

from transition import services as transition_services
from transition.models import ChangeFreeze

from .common import ServiceModelSerializer


class ChangeFreezeSerializer(ServiceModelSerializer):
    class Meta:
        model = ChangeFreeze
        fields = ["id", "programme", "name", "starts_on", "ends_on", "reason", "created_by"]
        read_only_fields = ["created_by"]

    def validate_programme(self, programme):
        if self.instance is not None and programme.pk != self.instance.programme_id:
            raise serializers.ValidationError("A change freeze cannot move to another programme.")
        return programme

    def create(self, validated_data):
        return transition_services.freeze_create(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return transition_services.freeze_update(
            freeze=instance, actor=self.actor, **validated_data
        )

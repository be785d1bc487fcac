"""The RAID log: risks, assumptions, issues and decisions of a process or a programme."""

from __future__ import annotations

from rest_framework import serializers

from raid import services as raid_services
from raid.models import HIGH_RISK_SCORE, RaidItem

from .common import PlanOwnerMixin, ServiceModelSerializer


class RaidItemSerializer(PlanOwnerMixin, ServiceModelSerializer):
    """Exactly one of `process` and `programme`; probability and impact (1–5) for risks only.

    `score` is probability × impact; `high` says whether it reaches the high-risk score.
    """

    score = serializers.SerializerMethodField()
    high = serializers.SerializerMethodField()

    class Meta:
        model = RaidItem
        fields = [
            "id",
            *RaidItem.INPUT_FIELDS,
            "score",
            "high",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # The range is checked by the model (through the service), whose message names the
        # rating and the value given, as the pages and the import say it.
        extra_kwargs = {
            "probability": {"min_value": None, "max_value": None},
            "impact": {"min_value": None, "max_value": None},
        }

    def get_score(self, item) -> int | None:
        return item.rating

    def get_high(self, item) -> bool:
        return item.rating is not None and item.rating >= HIGH_RISK_SCORE

    def validate(self, attrs):
        if self.instance is not None:
            for name in ("process", "programme"):
                if name in attrs and attrs[name] != getattr(self.instance, name):
                    raise serializers.ValidationError(
                        {name: "A RAID item stays in the log of its process or programme."}
                    )
        return attrs

    def create(self, validated_data):
        return raid_services.raid_item_save(actor=self.actor, **validated_data)

    def update(self, instance, validated_data):
        return raid_services.raid_item_save(actor=self.actor, item=instance, **validated_data)

"""Notifications and API sign-in."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer

from reminders.models import Notification

# The date engine works on real calendar dates; far-off years only ever come from typos
# (and year 1 or 9999 would overflow date arithmetic), so the API accepts a wide but sane span.


class NotificationSerializer(serializers.ModelSerializer):
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class TokenCredentialsSerializer(AuthTokenSerializer):
    """A username and password (checked through django-axes), and a name for the token."""

    name = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="What will use the token; shown on the user's profile page.",
    )


class IssuedTokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="Send as `Authorization: Token <token>`.")
    expires = serializers.DateTimeField()

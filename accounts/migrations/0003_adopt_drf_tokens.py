"""Move the tokens DRF's authtoken issued so far into ApiToken, hashed, and delete them.

Existing clients keep their key; it now expires API_TOKEN_TTL_DAYS after this migration
runs (most were issued long ago and would otherwise expire at once), and stops working when
the user's password changes. The digests and fingerprints are computed as accounts/tokens.py
does, restated here because a migration must not change when that module does.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.db import migrations
from django.utils import timezone


def adopt_drf_tokens(apps, schema_editor):
    DrfToken = apps.get_model("authtoken", "Token")
    ApiToken = apps.get_model("accounts", "ApiToken")
    now = timezone.now()
    expires = now + timedelta(days=settings.API_TOKEN_TTL_DAYS)
    adopted = [
        ApiToken(
            user_id=token.user_id,
            name="DRF token",
            digest=hashlib.sha256(token.key.encode()).hexdigest(),
            password_fingerprint=hashlib.sha256(
                f"api-token:{token.user.password}".encode()
            ).hexdigest(),
            created=min(token.created, now),
            expires=expires,
        )
        for token in DrfToken.objects.select_related("user").iterator(chunk_size=500)
    ]
    ApiToken.objects.bulk_create(adopted, batch_size=500)
    DrfToken.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_token"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    operations = [
        migrations.RunPython(adopt_drf_tokens, migrations.RunPython.noop, elidable=True),
    ]

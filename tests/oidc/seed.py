"""Set up the test provider's rows: `python -m tests.oidc.seed client <id> <secret>
<redirect_uri>` registers the app as a confidential client that never asks for consent, with a
fresh RSA signing key; `python -m tests.oidc.seed user <username> <password> <email>
[<group> ...]` creates or updates a user, its groups set to exactly those given."""

import os
import sys


def _client(client_id: str, secret: str, redirect_uri: str) -> None:
    from django.core.management import call_command
    from oidc_provider.models import Client, ResponseType

    call_command("creatersakey")
    client, _ = Client.objects.update_or_create(
        client_id=client_id,
        defaults={
            "name": "Backsourcing",
            "client_type": "confidential",
            "client_secret": secret,
            "jwt_alg": "RS256",
            "require_consent": False,
            "reuse_consent": True,
            "_redirect_uris": redirect_uri,
            "_scope": "openid profile email groups",
        },
    )
    client.response_types.set([ResponseType.objects.get(value="code")])


def _user(username: str, password: str, email: str, *groups: str) -> None:
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username=username)
    user.email = email
    user.first_name, user.last_name = username.capitalize(), "Tester"
    user.set_password(password)
    user.save()
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in groups])


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc.settings")
    import django

    django.setup()
    command, *args = argv
    {"client": _client, "user": _user}[command](*args)


if __name__ == "__main__":
    main(sys.argv[1:])

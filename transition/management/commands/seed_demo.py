"""Load the Northwind Retail demo programme once and print the demo logins."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from core.clock import local_today
from transition.demo import seed_demo
from transition.services import TransitionBlocked


class Command(BaseCommand):
    help = (
        "Load a demo backsourcing programme (providers, contracts, processes in every state) "
        "and a user for each role. Safe to run again: nothing is duplicated and passwords "
        "are kept unless --reset-passwords is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give every demo user a new generated password and print it.",
        )

    def handle(self, *args, reset_passwords=False, **options):
        try:
            result = seed_demo(reset_passwords=reset_passwords)
        except (ValidationError, TransitionBlocked, PermissionDenied) as error:
            raise CommandError(
                f"The demo could not be loaded, nothing was saved: {error}"
            ) from error
        if result.created:
            processes = result.programme.processes.count()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Created the demo programme “{result.programme}” with {processes} processes."
                )
            )
            days = (result.urgent_deadline - local_today()).days
            self.stdout.write(
                f"Next notice deadline: {result.urgent_contract} on "
                f"{result.urgent_deadline.isoformat()} (in {days} days)."
            )
        else:
            self.stdout.write(
                f"The demo data is already present (programme “{result.programme}”); "
                "nothing was created."
            )
        self.stdout.write(str(result.rates))
        self._logins(result.logins)

    def _logins(self, logins):
        rows = [("Username", "Role", "Password")]
        rows += [(login.username, login.role, login.password or "(unchanged)") for login in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(2)]
        self.stdout.write("\nDemo logins:")
        for username, role, password in rows:
            self.stdout.write(f"  {username:<{widths[0]}}  {role:<{widths[1]}}  {password}")
        if any(login.password is None for login in logins):
            self.stdout.write(
                "\nExisting passwords are stored hashed and cannot be shown again; "
                "run with --reset-passwords to generate and print new ones."
            )

"""`manage.py heartbeat_fresh beat --max-age 180`: exit 0 when the heartbeat is recent, else 1.

Docker's healthcheck of the beat container (docker-compose.yml, docs/operations.md): beat
records its own heartbeat each time it sends the minutely heartbeat task.
"""

from django.core.management.base import BaseCommand, CommandError

from health import heartbeats


class Command(BaseCommand):
    help = "Exit non-zero when the worker's or beat's last heartbeat is older than --max-age."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=[heartbeats.BEAT, heartbeats.WORKER])
        parser.add_argument(
            "--max-age",
            type=int,
            default=180,
            help="Seconds; the heartbeat task runs every 60 (default: 180).",
        )

    def handle(self, *args, name, max_age, **options):
        age = heartbeats.age_seconds(heartbeats.last(name))
        if age is None:
            raise CommandError(f"No {name} heartbeat recorded yet.")
        if age > max_age:
            raise CommandError(f"The {name} heartbeat is {age} s old (more than {max_age} s).")
        self.stdout.write(f"{name} heartbeat {age} s old")

"""Build a large generated portfolio for the benchmark: `manage.py make_portfolio --scale S`."""

import os
import secrets
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from transition.demo.scale import BENCH_USERNAME, MAX_SCALE, PortfolioBuilder, PortfolioExists

PASSWORD_ENV = "BENCH_PASSWORD"  # noqa: S105 (the name of a variable, not a password)


class Command(BaseCommand):
    help = (
        "Build a believable portfolio in bulk into an empty database (docs/performance.md): "
        "scale 1 is dataset L (500 providers, 20,000 contracts, 10,000 processes, 100,000 "
        "milestones); the same --seed and --today give the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, required=True, help=f"0 < S ≤ {MAX_SCALE}.")
        parser.add_argument("--seed", type=int, default=13, help="Random seed (default 13).")
        parser.add_argument(
            "--password",
            help=f"Password of the operations manager '{BENCH_USERNAME}' "
            f"(default: ${PASSWORD_ENV}, else a generated one, printed).",
        )
        parser.add_argument("--today", help="Build as of this day (YYYY-MM-DD) instead of today.")

    def handle(self, *args, scale, seed, password=None, today=None, **options):
        if not 0 < scale <= MAX_SCALE:
            raise CommandError(f"--scale must be above 0 and at most {MAX_SCALE}, not {scale}.")
        try:
            day = datetime.strptime(today, "%Y-%m-%d").date() if today else None  # noqa: DTZ007
        except ValueError:
            raise CommandError(f"--today must be YYYY-MM-DD, not {today!r}.") from None
        given = password or os.environ.get(PASSWORD_ENV)
        password = given or secrets.token_urlsafe(12)
        builder = PortfolioBuilder(scale=scale, seed=seed, password=password, today=day)
        try:
            report = builder.build(progress=lambda line: self.stdout.write(f"  {line}"))
        except PortfolioExists as error:
            raise CommandError(str(error)) from None
        if connection.vendor == "postgresql":
            # Fresh statistics: planned on an empty table's, the board's per-row subqueries
            # ran 60 times slower (docs/performance.md).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for name, count in report.counts.items():
            self.stdout.write(f"{name:>24}: {count:,}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Portfolio at scale {scale:g} built in {report.total_seconds:.1f} s."
            )
        )
        if not given:
            self.stdout.write(f"Log in as {BENCH_USERNAME} with password {password}")

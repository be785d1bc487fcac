"""Load the ECB's euro reference rates from a file, as the admin's upload does (docs/money.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from currencies.services import RatesFileError, load_ecb_rates


class Command(BaseCommand):
    help = (
        "Load the ECB's euro foreign exchange reference rates from eurofxref-hist.zip, "
        "eurofxref-hist.csv or the day's eurofxref.csv. All or nothing: a file with an error "
        "writes no rate."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .csv or .zip file as downloaded from the ECB")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            with path.open("rb") as stream:
                result = load_ecb_rates(stream, filename=path.name)
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror or error}") from error
        except RatesFileError as error:
            raise CommandError(
                "\n".join([f"{path.name} was not loaded; no rate was written:", *error.errors])
            ) from error
        self.stdout.write(self.style.SUCCESS(str(result)))

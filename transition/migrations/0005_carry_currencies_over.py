"""Existing amounts were entered in their contract's currency: say so on every row."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def carry_over(apps, schema_editor):
    Process = apps.get_model("transition", "OutsourcedProcess")
    Historical = apps.get_model("transition", "HistoricalOutsourcedProcess")
    Contract = apps.get_model("contracts", "Contract")
    contract_currency = Contract.objects.filter(pk=OuterRef("contract_id")).values("currency")[:1]
    Process.objects.filter(currency="").update(currency=Subquery(contract_currency))
    Historical.objects.filter(currency="").update(currency=Subquery(contract_currency))
    process_currency = Process.objects.filter(pk=OuterRef("process_id")).values("currency")[:1]
    for name in ("Asset", "StaffMember"):
        apps.get_model("transition", name).objects.filter(currency="").update(
            currency=Subquery(process_currency)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0007_contract_annual_indexation"),
        ("transition", "0004_money_currencies_and_business_case"),
    ]

    operations = [migrations.RunPython(carry_over, migrations.RunPython.noop)]

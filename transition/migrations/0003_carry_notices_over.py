"""Record an exit notice for every process served before notices were records of their own.

Processes of one contract served on the same day share one notice (one letter); it covers
the whole contract when it names every process under it. Their serve events link to it.
"""

from collections import defaultdict

from django.db import migrations


def carry_notices_over(apps, schema_editor):
    Process = apps.get_model("transition", "OutsourcedProcess")
    ProcessEvent = apps.get_model("transition", "ProcessEvent")
    ExitNotice = apps.get_model("contracts", "ExitNotice")
    served = defaultdict(list)
    for process in Process.objects.filter(
        notice_served_on__isnull=False, exit_notice__isnull=True
    ).order_by("pk"):
        served[(process.contract_id, process.notice_served_on)].append(process)
    for (contract_id, served_on), processes in served.items():
        total = Process.objects.filter(contract_id=contract_id).count()
        event = (
            ProcessEvent.objects.filter(process__in=processes, transition="serve_exit_notice")
            .order_by("at")
            .first()
        )
        exit_dates = [p.exit_date for p in processes if p.exit_date]
        notice = ExitNotice.objects.create(
            contract_id=contract_id,
            scope="whole" if len(processes) == total else "processes",
            served_on=served_on,
            exit_date=max(exit_dates) if exit_dates else served_on,
            served_by_id=event.actor_id if event else None,
            note="Recorded from the processes' notice dates when notices became records.",
        )
        Process.objects.filter(pk__in=[p.pk for p in processes]).update(exit_notice=notice)
        ProcessEvent.objects.filter(
            process__in=processes, transition="serve_exit_notice", notice__isnull=True
        ).update(notice=notice)


class Migration(migrations.Migration):
    dependencies = [
        ("transition", "0002_process_exit_notice"),
        ("contracts", "0006_exit_notice"),
    ]

    operations = [migrations.RunPython(carry_notices_over, migrations.RunPython.noop)]

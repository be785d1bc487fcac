"""The default termination-assistance checklist (docs/exit-management.md).

After the UK Model Services Contract, Schedule 8.5 (Exit Management): exit information soon
after notice, the registers the replacement needs, knowledge transfer, data return and
novations by the exit date, access revoked the day after, and the certificate that our data
is deleted at the end of the termination assistance. Operations managers edit, reorder or
deactivate these in the admin; a notice served takes the active ones.

The deletion certificate is due *at* the end of the assistance period, not 30 days after it:
a deliverable still open once the assistance has ended turns the process red (the provider
owes nothing more), so a checklist line due after that day would make every exit red.
"""

from django.db import migrations

CHECKLIST = [
    # (title, category, anchor, offset_days, description)
    (
        "Exit information",
        "exit_information",
        "served",
        10,
        "Up-to-date information on the services, volumes, staff, assets, contracts and "
        "data a replacement needs to plan the exit (Schedule 8.5, exit information).",
    ),
    (
        "Register of assets",
        "asset_register",
        "served",
        20,
        "Every asset used for the services, who owns it and whether it transfers.",
    ),
    (
        "Register of intellectual property",
        "ip_register",
        "served",
        20,
        "Software, licences and other intellectual property used for the services.",
    ),
    (
        "Register of sub-contracts",
        "subcontract_register",
        "served",
        20,
        "Sub-contracts and third-party agreements used for the services, with their terms.",
    ),
    (
        "Knowledge transfer complete",
        "knowledge_transfer",
        "exit",
        0,
        "Procedures, documentation and shadowing handed over to our staff by the exit date.",
    ),
    (
        "Data return",
        "data_return",
        "exit",
        0,
        "Our data returned in an agreed, readable format by the exit date.",
    ),
    (
        "Novation of contracts",
        "novation",
        "exit",
        0,
        "Sub-contracts and licences we keep novated or assigned to us by the exit date.",
    ),
    (
        "Access revocation",
        "access_revocation",
        "exit",
        1,
        "The provider's access to our systems and premises revoked, confirmed the day after exit.",
    ),
    (
        "Data deletion certificate",
        "deletion_certificate",
        "assistance_end",
        0,
        "Certificate that the provider deleted our data, at the end of termination assistance.",
    ),
]


def create_checklist(apps, schema_editor):
    DeliverableTemplate = apps.get_model("contracts", "DeliverableTemplate")
    for position, (title, category, anchor, offset, description) in enumerate(CHECKLIST, 1):
        DeliverableTemplate.objects.get_or_create(
            title=title,
            defaults={
                "category": category,
                "anchor": anchor,
                "offset_days": offset,
                "description": description,
                "position": position * 10,
                "active": True,
            },
        )


def remove_checklist(apps, schema_editor):
    DeliverableTemplate = apps.get_model("contracts", "DeliverableTemplate")
    DeliverableTemplate.objects.filter(title__in=[row[0] for row in CHECKLIST]).delete()


class Migration(migrations.Migration):
    dependencies = [("contracts", "0008_termination_assistance_deliverables")]

    operations = [migrations.RunPython(create_checklist, remove_checklist)]

# Termination-assistance deliverables, exit-plan reviews and tests, and remediation actions
# remind their owners (issue 15, docs/reminders.md); "remediation_action_due" needs a
# longer column.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0005_raid_item_due_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="reminder",
            name="kind",
            field=models.CharField(
                choices=[
                    ("notice_deadline", "Notice deadline"),
                    ("dispatch_by", "Send notice by"),
                    ("decision_date", "Decision date"),
                    ("milestone_due", "Milestone due"),
                    ("asset_transfer_due", "Asset transfer due"),
                    ("eli_due", "TUPE employee liability information due"),
                    ("exit_date", "Exit date"),
                    ("assistance_end", "End of termination assistance"),
                    ("raid_item_due", "RAID item due"),
                    ("deliverable_due", "Deliverable due"),
                    ("exit_plan_review_due", "Exit plan review due"),
                    ("exit_plan_test_due", "Exit plan test due"),
                    ("remediation_action_due", "Remediation action due"),
                ],
                max_length=30,
                verbose_name="kind",
            ),
        ),
    ]

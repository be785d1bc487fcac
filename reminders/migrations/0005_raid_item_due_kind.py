# The RAID log's due dates remind their owners (issue 14, docs/reminders.md).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0004_reminder_claimed_at"),
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
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]

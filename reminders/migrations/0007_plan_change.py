# Changed rows recorded for the reminder planning in the writer's transaction (docs/reminders.md,
# "Planning only what changed").

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0006_exit_management_kinds"),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("model", models.CharField(max_length=100)),
                ("object_id", models.PositiveBigIntegerField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "verbose_name": "changed row to re-plan",
            },
        ),
    ]

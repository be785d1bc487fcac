# The milestone and process lists read their first page from an index on their order, and
# the dashboard its "my open milestones" (docs/performance.md, "Indexes the pages read").

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0010_stored_notice_dates"),
        ("transition", "0009_staff_history_baseline_and_purge_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(fields=["due_date", "id"], name="milestone_due_idx"),
        ),
        migrations.AddIndex(
            model_name="milestone",
            index=models.Index(
                condition=models.Q(("status", "done"), _negated=True),
                fields=["owner", "due_date", "id"],
                name="milestone_open_owner_due_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="outsourcedprocess",
            index=models.Index(fields=["name", "id"], name="process_name_idx"),
        ),
    ]

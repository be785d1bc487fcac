from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self):
        # Lower layers announce moved deadlines; re-planning is ours (core/signals.py).
        from core.signals import deadlines_changed, personal_data_purged

        from .receivers import forget_purged_people
        from .tasks import replan_after_commit

        deadlines_changed.connect(replan_after_commit, dispatch_uid="reminders.replan")
        personal_data_purged.connect(forget_purged_people, dispatch_uid="reminders.purge")

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "Reminders and notifications"

    def ready(self):
        # Lower layers announce moved deadlines; re-planning is ours (core/signals.py).
        from core.signals import deadlines_changed

        from .tasks import replan_after_commit

        deadlines_changed.connect(replan_after_commit, dispatch_uid="reminders.replan")

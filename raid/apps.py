from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RaidConfig(AppConfig):
    name = "raid"
    verbose_name = _("RAID log")

    def ready(self):
        from core.signals import demo_programme_created

        from .demo import add_demo_raid_log

        demo_programme_created.connect(add_demo_raid_log, dispatch_uid="raid-demo")

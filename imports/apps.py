from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "imports"
    verbose_name = "Import and export"

    def ready(self):
        # Large list exports are built in the background (docs/architecture.md: a lower
        # layer offers a hook, the higher app connects it).
        from core.views import connect_background_export

        from .exports import background_export

        connect_background_export(background_export)

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Shared building blocks (docs/architecture.md): an app only for its template tags."""

    name = "core"
    verbose_name = "Core"

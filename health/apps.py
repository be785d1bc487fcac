from django.apps import AppConfig


class HealthConfig(AppConfig):
    """Liveness, readiness and the Celery heartbeats a load balancer or Docker probes
    (docs/operations.md). Depends on no other app of ours."""

    name = "health"
    verbose_name = "Health"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import heartbeats

        heartbeats.connect_signals()

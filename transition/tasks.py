"""Celery tasks of the transition app: thin wrappers that call the services."""

from celery import shared_task

from core.clock import local_today


@shared_task(name="transition.staff_purge_expired", ignore_result=True)
def staff_purge_expired() -> int:
    """Anonymise staff records past retention (beat runs this daily, migration 0009)."""
    from .services.privacy import staff_purge_expired as purge

    return len(purge(today=local_today()).staff_ids)

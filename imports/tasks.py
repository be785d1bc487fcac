"""Celery tasks of the imports app: thin wrappers that call the services."""

from celery import shared_task


@shared_task(name="imports.build_export", ignore_result=True, acks_late=True)
def build_export(export_id: int) -> None:
    """Write a large export's file and notify its owner (imports/exports.py)."""
    from .exports import export_build, export_fail

    try:
        export_build(export_id=export_id)
    except Exception:  # a time limit included: the owner is told, the error logged
        export_fail(export_id=export_id)
        raise

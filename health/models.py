"""The last heartbeat of each Celery process kind (docs/operations.md, "Health checks")."""

from django.db import models


class Heartbeat(models.Model):
    """One row per process kind ("worker", "beat"): when it last showed it was alive.

    Kept in the database, not the cache: the default cache is per process, and the web nodes,
    the worker and beat share only the database and the broker."""

    name = models.CharField(max_length=20, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"

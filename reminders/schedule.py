"""When each reminder of a deadline goes out: pure arithmetic over dates and offsets.

An offset is a number of days before the due date (0: on the day; negative: overdue).
The rules, in one place:

- A reminder is sent on `due - offset`, never earlier.
- Of the reminders of one deadline whose day has come, only the most recent is sent. A
  sweep that catches up after an outage, or a deadline entered late (its 90-day reminder
  already past), sends one reminder, not every missed one.
- A reminder before the due date (offset >= 0) is pointless once the date has passed: it
  is not sent late. Overdue reminders (offset < 0) go out while the item stays open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings


@dataclass(frozen=True)
class Schedule:
    """The offsets of one kind of reminder, with an optional overdue repetition."""

    offsets: tuple[int, ...]
    repeat_every: int | None = None

    def __post_init__(self):
        if not self.offsets:
            raise ValueError("A reminder schedule needs at least one offset.")
        object.__setattr__(self, "offsets", tuple(sorted(set(self.offsets), reverse=True)))
        if self.repeat_every is not None:
            if self.repeat_every <= 0:
                raise ValueError("An overdue repetition must be a positive number of days.")
            if self.last_offset >= 0:
                raise ValueError("Repetition continues an overdue (negative) offset.")

    @property
    def last_offset(self) -> int:
        return self.offsets[-1]

    def contains(self, offset: int) -> bool:
        """Whether `offset` is one of this schedule's offsets, repetitions included."""
        if offset in self.offsets:
            return True
        return bool(
            self.repeat_every
            and offset < self.last_offset
            and (self.last_offset - offset) % self.repeat_every == 0
        )

    def current_offset(self, due: date, today: date) -> int | None:
        """The offset to send today, or None: the most recent one whose day has come."""
        days_left = (due - today).days
        if self.repeat_every and days_left <= self.last_offset:
            steps = (self.last_offset - days_left) // self.repeat_every
            return self.last_offset - steps * self.repeat_every
        candidates = [
            offset
            for offset in self.offsets
            if offset >= days_left and may_send(offset, due, today)
        ]
        return min(candidates) if candidates else None

    def upcoming_offsets(self, due: date, today: date, ahead_days: int) -> list[int]:
        """Offsets whose day falls after today and within `ahead_days` of it."""
        days_left = (due - today).days
        low, high = days_left - ahead_days, days_left - 1
        found = [offset for offset in self.offsets if low <= offset <= high]
        if self.repeat_every:
            offset = self.last_offset - self.repeat_every
            while offset >= low:
                if offset <= high:
                    found.append(offset)
                offset -= self.repeat_every
        return sorted(found, reverse=True)


def send_on(due: date, offset: int) -> date:
    return due - timedelta(days=offset)


def may_send(offset: int, due: date, today: date) -> bool:
    """Whether a reminder may go out today: its day has come and it is not a stale warning."""
    if send_on(due, offset) > today:
        return False
    return offset < 0 or today <= due


def schedule_for(kind: str) -> Schedule:
    """The configured schedule of a kind (settings REMINDER_OFFSETS and REMINDER_REPEAT_DAYS)."""
    return Schedule(
        offsets=tuple(settings.REMINDER_OFFSETS[kind]),
        repeat_every=settings.REMINDER_REPEAT_DAYS.get(kind),
    )

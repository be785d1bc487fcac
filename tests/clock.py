"""The day most tests run on, so that dates in them read as plain calendar facts."""

from datetime import date

TODAY = date(2026, 11, 24)

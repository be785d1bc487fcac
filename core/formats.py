"""The one way dates and amounts are written for people: through Django's localisation.

"24 Nov 2026" in English; another LANGUAGE_CODE gets its own month names. Format strings
are Django's (`django.utils.dateformat`), not C's.
"""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

SHORT_DATE = "j M Y"  # 24 Nov 2026
DAY_MONTH = "j M"  # 24 Nov
LONG_DATE = "j F Y"  # 24 November 2026
MONTH_YEAR = "M Y"  # Nov 2026
SHORT_DATE_TIME = "j M Y, H:i"  # 24 Nov 2026, 14:05


def money(amount: Decimal, currency: str) -> str:
    """`EUR 1,250,000`: whole units, thousands separated, always with the currency."""
    return f"{currency} {intcomma(f'{Decimal(amount):.0f}')}".strip()


def month_year(value: date) -> str:
    """`Aug 2027`: a month of a plan or a business case."""
    return date_format(value, MONTH_YEAR)


def short_date(value: date) -> str:
    return date_format(value, SHORT_DATE)


def short_date_time(value: datetime) -> str:
    """`24 Nov 2026, 14:05`: a moment something happened, in the local time it is given in."""
    return date_format(value, SHORT_DATE_TIME)


def day_month(value: date) -> str:
    return date_format(value, DAY_MONTH)


def long_date(value: date) -> str:
    return date_format(value, LONG_DATE)


def weekday(value: date) -> str:
    return date_format(value, "l")


def relative_day(due: date, today: date) -> str:
    """How far `due` is from `today` in words: "in 7 days", "today", "3 days ago"."""
    days = (due - today).days
    if days == 0:
        return _("today")
    if days == 1:
        return _("tomorrow")
    if days == -1:
        return _("yesterday")
    if days > 0:
        return ngettext("in %(n)d day", "in %(n)d days", days) % {"n": days}
    return ngettext("%(n)d day ago", "%(n)d days ago", -days) % {"n": -days}

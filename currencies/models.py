"""The exchange-rate table: euro foreign exchange reference rates, one row a day a currency."""

from decimal import Decimal

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The ECB quotes every rate against the euro: `rate` units of `currency` buy one euro.
BASE_CURRENCY = "EUR"


class ExchangeRateQuerySet(models.QuerySet["ExchangeRate"]):
    def latest_on(self, day, currencies) -> "ExchangeRateQuerySet":
        """Each currency's latest rate on or before `day` (one row a currency, one query)."""
        latest = (
            ExchangeRate.objects.filter(currency=models.OuterRef("currency"), date__lte=day)
            .order_by("-date")
            .values("date")[:1]
        )
        return self.filter(currency__in=list(currencies), date=models.Subquery(latest))


class ExchangeRate(models.Model):
    date = models.DateField(_("date"))
    currency = models.CharField(
        _("currency"),
        max_length=3,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use a three-letter ISO 4217 code."))],
    )
    rate = models.DecimalField(
        _("units per euro"),
        max_digits=18,
        decimal_places=6,
        validators=[MinValueValidator(Decimal("0.000001"))],
        help_text=_("How many units of the currency one euro buys on that day."),
    )
    source = models.CharField(_("source"), max_length=100, blank=True)

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "currency"]
        verbose_name = _("exchange rate")
        constraints = [
            models.UniqueConstraint(fields=["date", "currency"], name="exchange_rate_once_a_day"),
            models.CheckConstraint(
                condition=Q(rate__gt=0),
                name="exchange_rate_positive",
                violation_error_message=_("A rate is a positive number of units per euro."),
            ),
            # Every rate is a rate of the euro, so the euro has none (its rate is always 1).
            models.CheckConstraint(
                condition=~Q(currency=BASE_CURRENCY),
                name="exchange_rate_not_of_the_euro",
                violation_error_message=_(
                    "Rates are quoted against the euro: one euro is always 1 EUR, so it "
                    "needs no rate."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} EUR 1 = {self.currency} {self.rate}"

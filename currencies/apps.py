from django.apps import AppConfig


class CurrenciesConfig(AppConfig):
    """Exchange rates and conversion into the reporting currency (docs/money.md)."""

    name = "currencies"
    verbose_name = "Currencies"
    default_auto_field = "django.db.models.BigAutoField"

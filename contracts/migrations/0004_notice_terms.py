# Notice terms: the notice window, the method and its transit days, the governing region.

import django.core.validators
import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0003_document_content_validator"),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="governing_subdivision",
            field=models.CharField(
                blank=True,
                help_text="ISO 3166-2 region of the governing country, e.g. GB-SCT: only its public holidays and the national ones count. Empty: every region's holidays count.",
                max_length=6,
                verbose_name="governing subdivision",
            ),
        ),
        migrations.AddField(
            model_name="contract",
            name="notice_method",
            field=models.CharField(
                blank=True,
                choices=[
                    ("registered_post", "Registered post"),
                    ("courier", "Courier"),
                    ("hand_delivery", "Hand delivery"),
                    ("email", "E-mail"),
                    ("provider_portal", "Provider portal"),
                ],
                help_text="How the contract requires notice to be given.",
                max_length=20,
                verbose_name="notice method",
            ),
        ),
        migrations.AddField(
            model_name="contract",
            name="notice_transit_days",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Business days the notice method takes to arrive.",
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="notice transit (business days)",
            ),
        ),
        migrations.AddField(
            model_name="contract",
            name="notice_window_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Notice received more than this many months before the term end is void. Empty: no limit.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(120),
                ],
                verbose_name="notice window (months)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcontract",
            name="governing_subdivision",
            field=models.CharField(
                blank=True,
                help_text="ISO 3166-2 region of the governing country, e.g. GB-SCT: only its public holidays and the national ones count. Empty: every region's holidays count.",
                max_length=6,
                verbose_name="governing subdivision",
            ),
        ),
        migrations.AddField(
            model_name="historicalcontract",
            name="notice_method",
            field=models.CharField(
                blank=True,
                choices=[
                    ("registered_post", "Registered post"),
                    ("courier", "Courier"),
                    ("hand_delivery", "Hand delivery"),
                    ("email", "E-mail"),
                    ("provider_portal", "Provider portal"),
                ],
                help_text="How the contract requires notice to be given.",
                max_length=20,
                verbose_name="notice method",
            ),
        ),
        migrations.AddField(
            model_name="historicalcontract",
            name="notice_transit_days",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="Business days the notice method takes to arrive.",
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(60),
                ],
                verbose_name="notice transit (business days)",
            ),
        ),
        migrations.AddField(
            model_name="historicalcontract",
            name="notice_window_months",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Notice received more than this many months before the term end is void. Empty: no limit.",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(1),
                    django.core.validators.MaxValueValidator(120),
                ],
                verbose_name="notice window (months)",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("notice_window_months__isnull", True),
                    models.Q(("notice_window_months__gte", 1), ("notice_window_months__lte", 120)),
                    _connector="OR",
                ),
                name="contract_notice_window_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("notice_window_months__isnull", True),
                    models.Q(("notice_unit", "months"), _negated=True),
                    ("notice_window_months__gt", models.F("notice_period")),
                    _connector="OR",
                ),
                name="contract_notice_window_longer_than_notice",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("notice_transit_days__gte", 0), ("notice_transit_days__lte", 60)
                ),
                name="contract_notice_transit_in_range",
            ),
        ),
        migrations.AddConstraint(
            model_name="contract",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("governing_subdivision", ""),
                    (
                        "governing_subdivision__startswith",
                        django.db.models.functions.text.Concat(
                            "governing_country", models.Value("-"), output_field=models.CharField()
                        ),
                    ),
                    _connector="OR",
                ),
                name="contract_subdivision_of_governing_country",
            ),
        ),
    ]

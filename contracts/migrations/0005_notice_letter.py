# The notice letter: the termination clause, the provider's address, the letter templates.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import contracts.letters


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_notice_terms"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="contract",
            name="termination_clause",
            field=models.CharField(
                blank=True,
                help_text="Where the contract provides for termination, e.g. “clause 18.2”.",
                max_length=100,
                verbose_name="termination clause",
            ),
        ),
        migrations.AddField(
            model_name="historicalcontract",
            name="termination_clause",
            field=models.CharField(
                blank=True,
                help_text="Where the contract provides for termination, e.g. “clause 18.2”.",
                max_length=100,
                verbose_name="termination clause",
            ),
        ),
        migrations.AddField(
            model_name="serviceprovider",
            name="address",
            field=models.TextField(
                blank=True, help_text="Postal address for formal notices.", verbose_name="address"
            ),
        ),
        migrations.CreateModel(
            name="NoticeLetterTemplate",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "file",
                    models.FileField(
                        upload_to="notice-letter-templates/",
                        validators=[contracts.letters.validate_letter_template],
                        verbose_name="file",
                    ),
                ),
                (
                    "is_active",
                    models.BooleanField(default=False, editable=False, verbose_name="active"),
                ),
                ("note", models.CharField(blank=True, max_length=200, verbose_name="note")),
                (
                    "uploaded_at",
                    models.DateTimeField(auto_now_add=True, verbose_name="uploaded at"),
                ),
                (
                    "uploaded_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "notice letter template",
                "ordering": ["-uploaded_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("is_active", True)),
                        fields=("is_active",),
                        name="one_active_notice_letter_template",
                        violation_error_message="Another notice letter template is active.",
                    )
                ],
            },
        ),
    ]

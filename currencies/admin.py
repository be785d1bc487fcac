"""Admin for the exchange-rate table: the rates, and the upload of the ECB's rates file."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.validators import FileExtensionValidator
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from .models import ExchangeRate
from .services import RatesFileError, load_ecb_rates


class RatesFileForm(forms.Form):
    file = forms.FileField(
        label=_("ECB rates file"),
        validators=[FileExtensionValidator(["csv", "zip"])],
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.zip"}),
        help_text=_(
            "The file as downloaded from the ECB: the history eurofxref-hist.zip (or the "
            "eurofxref-hist.csv inside it), or the day's eurofxref.csv. See “Exchange rates” "
            "in docs/money.md."
        ),
    )


@admin.register(ExchangeRate)
class ExchangeRateAdmin(admin.ModelAdmin):
    """The rates, one a day a currency; whole ECB files are loaded with the upload view."""

    change_list_template = "admin/currencies/exchangerate/change_list.html"
    list_display = ("date", "currency", "rate", "source")
    list_filter = ("currency",)
    date_hierarchy = "date"
    search_fields = ("=currency",)
    fields = ("date", "currency", "rate", "source")

    def has_upload_permission(self, request):
        """Loading a file adds rates and changes existing ones: both permissions."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def get_urls(self):
        return [
            path(
                "upload/",
                self.admin_site.admin_view(self.upload_view),
                name="currencies_exchangerate_upload",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "has_upload_permission": self.has_upload_permission(request),
        }
        return super().changelist_view(request, extra_context)

    def upload_view(self, request):
        if not self.has_upload_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            form = RatesFileForm(request.POST, request.FILES)
            if form.is_valid():
                upload = form.cleaned_data["file"]
                try:
                    result = load_ecb_rates(upload, filename=upload.name)
                except RatesFileError as error:
                    for message in error.errors:
                        form.add_error("file", message)
                else:
                    self.message_user(request, str(result), messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:currencies_exchangerate_changelist"))
        else:
            form = RatesFileForm()
        context = {
            **self.admin_site.each_context(request),
            "title": _("Upload ECB rates file"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/currencies/exchangerate/upload.html", context)

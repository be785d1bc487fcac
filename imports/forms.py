"""The upload form of the browser import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import MAX_COLUMNS, MAX_ROWS

from .models import ImportBatch
from .services import MAX_BYTES


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"), choices=ImportBatch.Kind.choices)
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "UTF-8 CSV or Excel .xlsx, at most %(mb)s MB, %(rows)s rows and %(columns)s "
            "columns. The first row names the columns, as in an export of the same list."
        )
        % {"mb": MAX_BYTES // 1_048_576, "rows": f"{MAX_ROWS:,}", "columns": MAX_COLUMNS},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

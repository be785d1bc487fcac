"""The import/export mixin of the register admins: our formats, our import rule."""

from django.utils.text import capfirst
from import_export.admin import ImportExportMixin

from core.spreadsheets import TEXT, SafeCSV, SafeXLSX, SpreadsheetRefused, column_kinds

from .rules import IMPORT_DATA


class RegisterImportExportMixin(ImportExportMixin):
    """django-import-export in the admin with our natural-key resources.

    Import is for operations managers (and superusers), as in the browser; the resources
    make it set-based and all or nothing (`rollback_on_validation_errors`).
    """

    skip_import_confirm = False
    # Exports neutralise formulas and imports undo it, as in the browser (core/spreadsheets.py).
    formats = [SafeCSV, SafeXLSX]

    def has_import_permission(self, request):
        return request.user.has_perm(IMPORT_DATA)

    def get_data_for_export(self, request, queryset, **kwargs):
        """The rows, with what the workbook needs to be laid out as the lists' exports are:
        the sheet named after the model, dates and numbers typed by their columns."""
        data = super().get_data_for_export(request, queryset, **kwargs)
        resource_class = self.choose_export_resource_class(kwargs.get("export_form"), request)
        resource = resource_class(**self.get_export_resource_kwargs(request, **kwargs))
        names = [field.column_name for field in resource.get_export_fields()]
        kinds = dict(zip(names, column_kinds(resource), strict=True))
        data.title = capfirst(str(self.model._meta.verbose_name_plural))
        data.column_kinds = [kinds.get(header, TEXT) for header in data.headers or []]
        return data

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, e):
        # The bounded readers' refusals (limits, not a workbook) are written for people;
        # any other error keeps the library's message, which never echoes the file.
        if isinstance(e, SpreadsheetRefused):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

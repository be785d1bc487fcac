"""The import/export mixin of the register admins: our formats, our import rule."""

from import_export.admin import ImportExportMixin

from core.spreadsheets import SafeCSV, SafeXLSX, SpreadsheetRefused

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

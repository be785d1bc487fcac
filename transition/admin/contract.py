"""The contract admin of the register, extended with the processes under each contract.

The contracts app sits below this one and cannot list processes itself; this app takes its
registered ContractAdmin and adds the inline (the same extension NetBox's apps use).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from contracts.admin import ContractAdmin, ReadOnlyInline
from contracts.models import Contract

from ..models import OutsourcedProcess


class ContractProcessInline(ReadOnlyInline, admin.TabularInline):
    model = OutsourcedProcess
    fields = ("name", "programme", "state", "owner", "lead", "exit_date")
    readonly_fields = fields
    verbose_name_plural = _("processes under this contract")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("programme", "owner", "lead")


class ContractWithProcessesAdmin(ContractAdmin):
    inlines = (*ContractAdmin.inlines, ContractProcessInline)


admin.site.unregister(Contract)
admin.site.register(Contract, ContractWithProcessesAdmin)

"""A staff record's personal data as a download, for a subject access request
(docs/operations.md, "Privacy: staff personal data and audit history")."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.formats import short_date

from ..models import StaffMember
from ..selectors.privacy import staff_personal_data
from .common import require

EXPORT_PERSONAL_DATA = "transition.export_staff_personal_data"


def purged_message(member: StaffMember) -> str:
    """Why a purged record has nothing left to export."""
    return _(
        "Personal data of this record was purged on %(day)s; there is nothing left to export."
    ) % {"day": short_date(member.personal_data_purged_on)}


def personal_data_response(member: StaffMember) -> HttpResponse:
    """The JSON download of one person's data. The file is named by the record's id, never
    by the person's name, so the name reaches no header, log or download folder listing."""
    data = staff_personal_data(member, exported_at=timezone.now().isoformat())
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="staff-{member.pk}-personal-data.json"'
    response["Cache-Control"] = "no-store"
    return response


class StaffPersonalDataExportView(LoginRequiredMixin, View):
    """GET: the download, for operations managers and administrators; 403 for others."""

    def get(self, request, pk):
        member = get_object_or_404(
            StaffMember.objects.select_related("process__programme", "process__contract"), pk=pk
        )
        require(request.user, EXPORT_PERSONAL_DATA, member)
        if member.personal_data_purged_on is not None:
            messages.error(request, purged_message(member))
            return HttpResponseRedirect(member.get_absolute_url())
        return personal_data_response(member)

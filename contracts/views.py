"""Pages of the register: providers and contracts (list, detail, create, edit, delete)."""

import json

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import CreateView, DetailView, UpdateView
from rules.contrib.views import PermissionRequiredMixin

from core.bulk import BulkActionsMixin, delete_action, owner_action
from core.clock import local_today
from core.files import stored_file_response
from core.text import without_control_characters
from core.views import RegisterListView, ServiceDeleteView, ServiceFormMixin, add_validation_errors

from . import letters, selectors, services
from .downloads import PROOF_MESSAGES
from .filters import ContractFilter, ProviderFilter
from .forms import (
    ContractDocumentForm,
    ContractForm,
    ExitDateForm,
    NoticeLetterForm,
    ProviderForm,
    UserChoiceField,
)
from .models import Contract, ContractDocument, ExitNotice, ServiceProvider
from .resources import ContractResource, ServiceProviderResource

EDIT_REGISTER = services.EDIT_REGISTER
SERVE_NOTICE = "contracts.serve_notice"


# Providers


class ProviderListView(BulkActionsMixin, RegisterListView):
    title = gettext_lazy("Service providers")
    add_permission = EDIT_REGISTER
    model = ServiceProvider
    filterset_class = ProviderFilter
    template_name = "contracts/provider_list.html"
    search_fields = ("name", "legal_name", "contact_name", "contact_email")
    sort_fields = {"name": "name", "country": "country", "contracts": "contract_count"}
    default_sort = "name"
    resource_class = ServiceProviderResource
    export_name = "providers"
    bulk_actions = (delete_action(services.provider_delete, "provider", EDIT_REGISTER),)

    def get_base_queryset(self):
        return selectors.provider_list()


class ProviderDetailView(LoginRequiredMixin, DetailView):
    template_name = "contracts/provider_detail.html"
    context_object_name = "provider"

    def get_queryset(self):
        return selectors.provider_detail()


class ProviderCreateView(ServiceFormMixin, CreateView):
    model = ServiceProvider
    form_class = ProviderForm
    template_name = "contracts/provider_form.html"
    permission_required = EDIT_REGISTER
    success_message = gettext_lazy("Provider “%(object)s” was created.")

    def save(self, form):
        return services.provider_create(actor=self.request.user, **form.cleaned_data)


class ProviderUpdateView(ServiceFormMixin, UpdateView):
    model = ServiceProvider
    form_class = ProviderForm
    template_name = "contracts/provider_form.html"
    context_object_name = "provider"
    permission_required = EDIT_REGISTER
    success_message = gettext_lazy("Provider “%(object)s” was saved.")

    def save(self, form):
        return services.provider_update(
            provider=self.object, actor=self.request.user, **form.cleaned_data
        )


class ProviderDeleteView(ServiceDeleteView):
    model = ServiceProvider
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_REGISTER
    success_url = reverse_lazy("contracts:provider_list")

    def delete_object(self):
        services.provider_delete(provider=self.object, actor=self.request.user)


# Contracts


class ContractListView(BulkActionsMixin, RegisterListView):
    title = gettext_lazy("Contracts")
    add_permission = EDIT_REGISTER
    model = Contract
    filterset_class = ContractFilter
    template_name = "contracts/contract_list.html"
    search_fields = ("reference", "title", "provider__name")
    sort_fields = {
        "reference": "reference",
        "title": "title",
        "provider": "provider__name",
        "owner": "owner__last_name",
        "end_date": "end_date",
        "notice_deadline": "pending_deadline",
        "annual_value": "annual_value",
    }
    # Deadline first: the soonest next notice deadline leads; none left, or notice already
    # covering the whole contract, last (docs/contracts-list.md).
    default_sort = "notice_deadline"
    resource_class = ContractResource
    export_name = "contracts"
    # As the edit form's owner choices (docs/bulk-actions.md).
    bulk_actions = (
        owner_action(
            services.contract_update,
            "contract",
            EDIT_REGISTER,
            lambda view: UserChoiceField(
                label=_("New owner"), queryset=selectors.contract_owner_choices()
            ),
        ),
    )

    def get_base_queryset(self):
        Contract.objects.refresh_notice_dates(local_today())
        return selectors.contract_list().with_pending_deadline()

    def get_queryset(self):
        queryset = super().get_queryset()
        key = self.request.GET.get("sort", "")
        if key.lstrip("-") == "status":
            # The status is computed, not stored: rank the rows by it, then by reference.
            rank = selectors.status_rank(queryset, local_today())
            queryset = queryset.order_by(rank.desc() if key.startswith("-") else rank, "pk")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = local_today()
        return context


SUGGESTIONS = 20

# "<", ">" and "&" as JSON escapes, as json_script writes them: a label stays data even
# where a careless reader put the response into markup (docs/security.md).
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def suggestions_response(results: list[dict]) -> HttpResponse:
    """The JSON of a search-as-you-type endpoint: `{"results": [{"id": 1, "label": "…"}]}`."""
    body = json.dumps({"results": results}).translate(JSON_ESCAPES)
    response = HttpResponse(body, content_type="application/json")
    patch_cache_control(response, private=True, no_store=True)
    return response


def suggest_id(value: str) -> int | None:
    """The id `?id=` names, or None for anything that cannot be one (never a 500)."""
    value = value.strip()
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return None


class ContractSuggestView(LoginRequiredMixin, View):
    """Contracts matching `?q=` (reference, title or provider) for the search-as-you-type
    filters, at most SUGGESTIONS of them, or the one `?id=` names.

    With 20,000 contracts a select box listing them all was most of the process list's
    weight (docs/performance.md). Labels are data: the widget writes them with textContent.
    """

    http_method_names = ["get"]
    raise_exception = True  # a script asks: a 403, not a redirect to the login page

    def get(self, request):
        # Typed into a search box, never stored: control characters are dropped (core/text.py).
        term = without_control_characters(request.GET.get("q", "")).strip()[:100]
        contracts = Contract.objects.all()
        if "id" in request.GET:
            pk = suggest_id(request.GET["id"])
            contracts = contracts.filter(pk=pk) if pk is not None else contracts.none()
        elif term:
            contracts = contracts.filter(
                Q(reference__icontains=term)
                | Q(title__icontains=term)
                | Q(provider__name__icontains=term)
            )
        rows = contracts.order_by("reference", "pk").values(
            "pk", "reference", "title", "provider__name"
        )[:SUGGESTIONS]
        return suggestions_response(
            [
                # As str(contract) and the filter's ContractChoiceField label it.
                {"id": r["pk"], "label": f"{r['reference']} – {r['title']} ({r['provider__name']})"}
                for r in rows
            ]
        )


def exit_calculation(contract: Contract, data) -> dict:
    """The calculator's answer for `data` (a QueryDict): the form, and the dates or an error."""
    form = ExitDateForm(data if "served_on" in data else None)
    result = {"form": form, "contract": contract}
    if not form.is_bound or not form.is_valid():
        return result
    served_on = form.cleaned_data["served_on"]
    try:
        exit_date = contract.exit_date_if_served(served_on)
        assistance_end = contract.assistance_end(exit_date)
    except (ValueError, OverflowError):
        # The engine's arithmetic stops at year 9999; say so instead of failing.
        form.add_error("served_on", _("That date is too far in the future to calculate."))
        return result
    result.update(
        served_on=served_on,
        exit_date=exit_date,
        assistance_end=assistance_end,
        explanation=selectors.exit_explanation(contract, served_on, exit_date),
        before_start=served_on < contract.start_date,
    )
    return result


class ContractDetailView(LoginRequiredMixin, DetailView):
    """Terms, the engine's dates explained, the calculator, documents, history; the
    processes section comes from the transition app's {% contract_processes %} tag."""

    template_name = "contracts/contract_detail.html"
    context_object_name = "contract"

    def get_queryset(self):
        return selectors.contract_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contract = self.object
        today = local_today()
        notices = selectors.contract_notices(contract)
        context.update(
            today=today,
            notices=notices,
            notice_state=contract.notice_state,
            explained_dates=selectors.contract_dates(contract, today, notices),
            calculator=exit_calculation(contract, self.request.GET),
            history=selectors.contract_history(contract),
            documents=list(contract.documents.all()),
        )
        context.setdefault("document_form", ContractDocumentForm())
        return context


class ContractCreateView(ServiceFormMixin, CreateView):
    model = Contract
    form_class = ContractForm
    template_name = "contracts/contract_form.html"
    permission_required = EDIT_REGISTER
    success_message = gettext_lazy("Contract “%(object)s” was created.")

    def get_initial(self):
        initial = super().get_initial()
        if provider := self.request.GET.get("provider"):
            initial["provider"] = provider
        return initial

    def save(self, form):
        return services.contract_create(actor=self.request.user, **form.cleaned_data)


class ContractUpdateView(ServiceFormMixin, UpdateView):
    model = Contract
    form_class = ContractForm
    template_name = "contracts/contract_form.html"
    context_object_name = "contract"
    permission_required = EDIT_REGISTER
    success_message = gettext_lazy("Contract “%(object)s” was saved.")

    def save(self, form):
        return services.contract_update(
            contract=self.object, actor=self.request.user, **form.cleaned_data
        )


class ContractDeleteView(ServiceDeleteView):
    model = Contract
    template_name = "core/confirm_delete.html"
    permission_required = EDIT_REGISTER
    success_url = reverse_lazy("contracts:contract_list")

    def delete_object(self):
        services.contract_delete(contract=self.object, actor=self.request.user)


class ContractExitDateView(LoginRequiredMixin, View):
    """The "exit date if notice is served on…" calculator: a partial for htmx, else the page."""

    def get(self, request, pk):
        if not request.htmx:
            url = reverse("contracts:contract_detail", args=[pk])
            query = request.GET.urlencode()
            return redirect(f"{url}?{query}#calculator" if query else f"{url}#calculator")
        contract = get_object_or_404(Contract.objects.select_related("provider"), pk=pk)
        return TemplateResponse(
            request,
            "contracts/partials/_exit_calculator.html",
            {"calculator": exit_calculation(contract, request.GET)},
        )


class ContractDocumentUploadView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """Attach a document; a refused file shows its message on the contract page."""

    permission_required = EDIT_REGISTER

    def post(self, request, pk):
        contract = get_object_or_404(Contract, pk=pk)
        form = ContractDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = services.document_add(
                    contract=contract, actor=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_validation_errors(form, error)
            else:
                messages.success(request, _("“%(title)s” was attached.") % {"title": document})
                return HttpResponseRedirect(f"{contract.get_absolute_url()}#documents")
        view = ContractDetailView(request=request, kwargs={"pk": pk}, args=())
        view.object = get_object_or_404(selectors.contract_detail(), pk=pk)
        context = view.get_context_data(object=view.object, document_form=form)
        return TemplateResponse(request, view.template_name, context, status=400)

    def get(self, request, pk):
        return redirect(f"{reverse('contracts:contract_detail', args=[pk])}#documents")


class ContractDocumentDownloadView(LoginRequiredMixin, View):
    """Serve a document to signed-in users only (uploads are never public media)."""

    def get(self, request, pk, document_pk):
        document = get_object_or_404(ContractDocument, pk=document_pk, contract_id=pk)
        return stored_file_response(
            document.file,
            absent=_("No file is attached to this document."),
            missing=_("The file of this document is missing."),
        )


class ExitNoticeProofView(LoginRequiredMixin, View):
    """Serve a notice's proof of service to signed-in users only, as documents are."""

    def get(self, request, pk, notice_pk):
        notice = get_object_or_404(ExitNotice, pk=notice_pk, contract_id=pk)
        return stored_file_response(notice.proof, **PROOF_MESSAGES)


class ContractDocumentDeleteView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = EDIT_REGISTER

    def post(self, request, pk, document_pk):
        document = get_object_or_404(ContractDocument, pk=document_pk, contract_id=pk)
        services.document_delete(document=document, actor=request.user)
        messages.success(request, _("“%(title)s” was removed.") % {"title": document})
        return redirect(f"{reverse('contracts:contract_detail', args=[pk])}#documents")


class NoticeLetterView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The notice letter as a Word document, for whoever may serve notice (GET
    `served_on=YYYY-MM-DD`, default today, and `processes=<id>` repeated, none for the whole
    contract); bad parameters get a page saying which (400)."""

    permission_required = SERVE_NOTICE

    def get(self, request, pk):
        contract = get_object_or_404(Contract.objects.select_related("provider"), pk=pk)
        data = request.GET.copy()
        # Without a day, notice is served today, as in the calculator; an empty one is an error.
        data.setdefault("served_on", local_today().isoformat())
        form = NoticeLetterForm(data, contract=contract)
        if not form.is_valid():
            return self.error(request, contract, form=form, status=400)
        data = form.cleaned_data
        signatory = letters.Signatory(
            name=data["signatory_name"] or request.user.get_full_name() or request.user.username,
            role=data["signatory_role"],
        )
        letter = letters.notice_letter_context(
            contract,
            served_on=data["served_on"],
            exit_date=data["exit_date"],
            process_names=data["processes"],
            signatory=signatory,
        )
        try:
            content = letters.render_notice_letter(letter)
        except letters.LetterTemplateError as error:
            return self.error(request, contract, template_error=str(error), status=500)
        response = HttpResponse(content, content_type=letters.DOCX_CONTENT_TYPE)
        response.headers["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=letters.notice_letter_filename(contract.reference)
        )
        patch_cache_control(response, private=True, no_store=True)
        return response

    def error(self, request, contract, *, status, **context):
        return TemplateResponse(
            request,
            "contracts/notice_letter_error.html",
            {"contract": contract, **context},
            status=status,
        )

"""Pages of the register: service providers and contracts."""

from django.urls import path

from . import views, views_deliverables

app_name = "contracts"

urlpatterns = [
    path("providers/", views.ProviderListView.as_view(), name="provider_list"),
    path("providers/new/", views.ProviderCreateView.as_view(), name="provider_create"),
    path("providers/<int:pk>/", views.ProviderDetailView.as_view(), name="provider_detail"),
    path("providers/<int:pk>/edit/", views.ProviderUpdateView.as_view(), name="provider_update"),
    path("providers/<int:pk>/delete/", views.ProviderDeleteView.as_view(), name="provider_delete"),
    path("contracts/", views.ContractListView.as_view(), name="contract_list"),
    path("contracts/new/", views.ContractCreateView.as_view(), name="contract_create"),
    path("contracts/suggest/", views.ContractSuggestView.as_view(), name="contract_suggest"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract_detail"),
    path("contracts/<int:pk>/edit/", views.ContractUpdateView.as_view(), name="contract_update"),
    path("contracts/<int:pk>/delete/", views.ContractDeleteView.as_view(), name="contract_delete"),
    path(
        "contracts/<int:pk>/exit-date/",
        views.ContractExitDateView.as_view(),
        name="contract_exit_date",
    ),
    path(
        "contracts/<int:pk>/notice-letter.docx",
        views.NoticeLetterView.as_view(),
        name="notice_letter",
    ),
    path(
        "contracts/<int:pk>/notices/<int:notice_pk>/proof/",
        views.ExitNoticeProofView.as_view(),
        name="notice_proof",
    ),
    path(
        "contracts/<int:pk>/documents/",
        views.ContractDocumentUploadView.as_view(),
        name="contract_document_upload",
    ),
    path(
        "contracts/<int:pk>/documents/<int:document_pk>/",
        views.ContractDocumentDownloadView.as_view(),
        name="contract_document_download",
    ),
    path(
        "contracts/<int:pk>/documents/<int:document_pk>/delete/",
        views.ContractDocumentDeleteView.as_view(),
        name="contract_document_delete",
    ),
    path(
        "deliverables/new/",
        views_deliverables.DeliverableCreateView.as_view(),
        name="deliverable_create",
    ),
    path(
        "deliverables/<int:pk>/",
        views_deliverables.DeliverableDetailView.as_view(),
        name="deliverable_detail",
    ),
    path(
        "deliverables/<int:pk>/edit/",
        views_deliverables.DeliverableUpdateView.as_view(),
        name="deliverable_update",
    ),
    path(
        "deliverables/<int:pk>/record/",
        views_deliverables.DeliverableRecordView.as_view(),
        name="deliverable_record",
    ),
    path(
        "deliverables/<int:pk>/evidence/",
        views_deliverables.DeliverableEvidenceView.as_view(),
        name="deliverable_evidence",
    ),
]

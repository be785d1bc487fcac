"""Pages of the transition app: programmes, processes, their plans, the board, the Gantt and
exit notice on a contract."""

from django.urls import path

from . import views
from .views import baselines as baseline_views
from .views import freezes as freeze_views
from .views import reschedule as reschedule_views
from .views.processes import ProcessSuggestView

app_name = "transition"

urlpatterns = [
    path("programmes/", views.ProgrammeListView.as_view(), name="programme_list"),
    path("programmes/new/", views.ProgrammeCreateView.as_view(), name="programme_create"),
    path("programmes/<int:pk>/", views.ProgrammeDetailView.as_view(), name="programme_detail"),
    path("programmes/<int:pk>/edit/", views.ProgrammeUpdateView.as_view(), name="programme_update"),
    path(
        "programmes/<int:pk>/delete/",
        views.ProgrammeDeleteView.as_view(),
        name="programme_delete",
    ),
    path(
        "programmes/<int:pk>/business-case/",
        views.ProgrammeBusinessCaseView.as_view(),
        name="programme_business_case",
    ),
    path(
        "programmes/<int:pk>/timeline/",
        views.ProgrammeGanttView.as_view(),
        name="programme_gantt",
    ),
    path("processes/", views.ProcessListView.as_view(), name="process_list"),
    path("processes/board/", views.ProcessBoardView.as_view(), name="process_board"),
    path("processes/suggest/", ProcessSuggestView.as_view(), name="process_suggest"),
    path("processes/new/", views.ProcessCreateView.as_view(), name="process_create"),
    path("processes/<int:pk>/", views.ProcessDetailView.as_view(), name="process_detail"),
    path("processes/<int:pk>/edit/", views.ProcessUpdateView.as_view(), name="process_update"),
    path("processes/<int:pk>/delete/", views.ProcessDeleteView.as_view(), name="process_delete"),
    path(
        "processes/<int:pk>/business-case/",
        views.ProcessBusinessCaseView.as_view(),
        name="process_business_case",
    ),
    path(
        "processes/<int:pk>/business-case/edit/",
        views.ProcessBusinessCaseUpdateView.as_view(),
        name="process_business_case_update",
    ),
    path(
        "processes/<int:pk>/business-case.xlsx",
        views.ProcessBusinessCaseExportView.as_view(),
        name="process_business_case_xlsx",
    ),
    path(
        "processes/<int:pk>/transitions/<slug:name>/",
        views.ProcessTransitionView.as_view(),
        name="process_transition",
    ),
    path(
        "processes/<int:pk>/transitions/<slug:name>/confirm/",
        views.ProcessTransitionConfirmView.as_view(),
        name="process_transition_confirm",
    ),
    path(
        "processes/<int:pk>/readiness/new/",
        views.ReadinessCreateView.as_view(),
        name="readiness_create",
    ),
    # Exit notice is served on a contract; the contract page offers it (transition_panels).
    path("contracts/<int:pk>/notice/", views.NoticeServeView.as_view(), name="notice_serve"),
    path(
        "contracts/<int:pk>/notice/preview/",
        views.NoticePreviewView.as_view(),
        name="notice_preview",
    ),
    path(
        "contracts/<int:pk>/notices/<int:notice_pk>/withdraw/",
        views.NoticeWithdrawView.as_view(),
        name="notice_withdraw",
    ),
    path(
        "processes/<int:pk>/baselines/",
        baseline_views.ProcessBaselinesView.as_view(),
        name="process_baselines",
    ),
    path(
        "programmes/<int:pk>/baselines/",
        baseline_views.ProgrammeBaselinesView.as_view(),
        name="programme_baselines",
    ),
    path(
        "baselines/<int:pk>/", baseline_views.BaselineDetailView.as_view(), name="baseline_detail"
    ),
    path(
        "baselines/<int:pk>/variance.xlsx",
        baseline_views.BaselineVarianceExportView.as_view(),
        name="baseline_variance_xlsx",
    ),
    path(
        "baselines/<int:pk>/delete/",
        baseline_views.BaselineDeleteView.as_view(),
        name="baseline_delete",
    ),
    path(
        "programmes/<int:programme_pk>/freezes/new/",
        freeze_views.FreezeCreateView.as_view(),
        name="freeze_create",
    ),
    path("freezes/<int:pk>/edit/", freeze_views.FreezeUpdateView.as_view(), name="freeze_update"),
    path("freezes/<int:pk>/delete/", freeze_views.FreezeDeleteView.as_view(), name="freeze_delete"),
    path("milestones/", views.MilestoneListView.as_view(), name="milestone_list"),
    path("milestones/new/", views.MilestoneCreateView.as_view(), name="milestone_create"),
    path("milestones/<int:pk>/", views.MilestoneDetailView.as_view(), name="milestone_detail"),
    path("milestones/<int:pk>/edit/", views.MilestoneUpdateView.as_view(), name="milestone_update"),
    path(
        "milestones/<int:pk>/delete/",
        views.MilestoneDeleteView.as_view(),
        name="milestone_delete",
    ),
    path(
        "milestones/<int:pk>/complete/",
        views.MilestoneCompleteView.as_view(),
        name="milestone_complete",
    ),
    path(
        "milestones/<int:pk>/reschedule/",
        reschedule_views.MilestoneRescheduleView.as_view(),
        name="milestone_reschedule",
    ),
    path(
        "milestones/<int:pk>/reschedule/undo/",
        reschedule_views.MilestoneRescheduleUndoView.as_view(),
        name="milestone_reschedule_undo",
    ),
    path("assets/", views.AssetListView.as_view(), name="asset_list"),
    path("assets/new/", views.AssetCreateView.as_view(), name="asset_create"),
    path("assets/<int:pk>/", views.AssetDetailView.as_view(), name="asset_detail"),
    path("assets/<int:pk>/edit/", views.AssetUpdateView.as_view(), name="asset_update"),
    path("assets/<int:pk>/delete/", views.AssetDeleteView.as_view(), name="asset_delete"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("staff/<int:pk>/delete/", views.StaffDeleteView.as_view(), name="staff_delete"),
]

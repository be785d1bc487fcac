"""Pages of the transition app: programmes, processes, their plans, the board, the Gantt and
exit notice on a contract."""

from django.urls import path

from . import views
from .views import baselines as baseline_views
from .views import exit_plans as exit_plan_views
from .views import freezes as freeze_views
from .views import reschedule as reschedule_views
from .views import scorecard as scorecard_views
from .views.privacy import StaffPersonalDataExportView
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
    # Exit plans (versioned), their rehearsals and remediation actions (docs/exit-management.md).
    path("exit-plans/", exit_plan_views.ExitPlanListView.as_view(), name="exit_plan_list"),
    path(
        "processes/<int:pk>/exit-plan/",
        exit_plan_views.ProcessExitPlanView.as_view(),
        name="process_exit_plan",
    ),
    path(
        "processes/<int:pk>/exit-plan/new/",
        exit_plan_views.ExitPlanCreateView.as_view(),
        name="exit_plan_create",
    ),
    path(
        "processes/<int:pk>/rehearsals/new/",
        exit_plan_views.RehearsalCreateView.as_view(),
        name="rehearsal_create",
    ),
    path(
        "exit-plans/<int:pk>/",
        exit_plan_views.ExitPlanDetailView.as_view(),
        name="exit_plan_detail",
    ),
    path(
        "exit-plans/<int:pk>/edit/",
        exit_plan_views.ExitPlanUpdateView.as_view(),
        name="exit_plan_update",
    ),
    path(
        "exit-plans/<int:pk>/approve/",
        exit_plan_views.ExitPlanApproveView.as_view(),
        name="exit_plan_approve",
    ),
    path(
        "exit-plans/<int:pk>/review/",
        exit_plan_views.ExitPlanReviewView.as_view(),
        name="exit_plan_review",
    ),
    path(
        "exit-plans/<int:pk>/history/",
        exit_plan_views.ExitPlanHistoryView.as_view(),
        name="exit_plan_history",
    ),
    path(
        "exit-plans/<int:pk>/delete/",
        exit_plan_views.ExitPlanDeleteView.as_view(),
        name="exit_plan_delete",
    ),
    path(
        "rehearsals/<int:pk>/",
        exit_plan_views.RehearsalDetailView.as_view(),
        name="rehearsal_detail",
    ),
    path(
        "rehearsals/<int:pk>/edit/",
        exit_plan_views.RehearsalUpdateView.as_view(),
        name="rehearsal_update",
    ),
    path(
        "rehearsals/<int:pk>/actions/new/",
        exit_plan_views.RemediationActionCreateView.as_view(),
        name="remediation_action_create",
    ),
    path(
        "remediation-actions/<int:pk>/edit/",
        exit_plan_views.RemediationActionUpdateView.as_view(),
        name="remediation_action_update",
    ),
    path(
        "remediation-actions/<int:pk>/close/",
        exit_plan_views.RemediationActionCloseView.as_view(),
        name="remediation_action_close",
    ),
    path(
        "processes/<int:pk>/scorecard/",
        scorecard_views.ScorecardView.as_view(),
        name="process_scorecard",
    ),
    path(
        "processes/<int:pk>/scorecard/kpis/new/",
        scorecard_views.KpiCreateView.as_view(),
        name="kpi_create",
    ),
    path(
        "processes/<int:pk>/scorecard/period/",
        scorecard_views.PeriodActualsView.as_view(),
        name="kpi_period_actuals",
    ),
    path("kpis/<int:pk>/edit/", scorecard_views.KpiUpdateView.as_view(), name="kpi_update"),
    path("kpis/<int:pk>/delete/", scorecard_views.KpiDeleteView.as_view(), name="kpi_delete"),
    path(
        "kpis/<int:pk>/actuals/",
        scorecard_views.KpiActualRecordView.as_view(),
        name="kpi_actual_record",
    ),
    path(
        "kpi-actuals/<int:pk>/delete/",
        scorecard_views.KpiActualDeleteView.as_view(),
        name="kpi_actual_delete",
    ),
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
    path("assets/<int:pk>/status/", views.AssetStatusView.as_view(), name="asset_status"),
    path("staff/", views.StaffListView.as_view(), name="staff_list"),
    path("staff/new/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_update"),
    path("staff/<int:pk>/delete/", views.StaffDeleteView.as_view(), name="staff_delete"),
    path("staff/<int:pk>/status/", views.StaffStatusView.as_view(), name="staff_status"),
    path(
        "staff/<int:pk>/personal-data.json",
        StaffPersonalDataExportView.as_view(),
        name="staff_personal_data",
    ),
]

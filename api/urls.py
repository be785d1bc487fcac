"""The REST API under /api/v1/, its OpenAPI schema at /api/schema/ and docs at /api/docs/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import views
from .views.baselines import BaselineViewSet
from .views.deliverables import DeliverableViewSet
from .views.exit_plans import ExitPlanViewSet, RehearsalViewSet, RemediationActionViewSet
from .views.freezes import ChangeFreezeViewSet
from .views.portfolio import PortfolioView
from .views.raid import RaidItemViewSet
from .views.scorecard import KpiActualViewSet, KpiViewSet
from .views.search import SearchView

router = DefaultRouter()
router.register("providers", views.ServiceProviderViewSet, basename="provider")
router.register("contracts", views.ContractViewSet, basename="contract")
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("processes", views.OutsourcedProcessViewSet, basename="process")
router.register("notices", views.ExitNoticeViewSet, basename="notice")
router.register("milestones", views.MilestoneViewSet, basename="milestone")
router.register("assets", views.AssetViewSet, basename="asset")
router.register("staff", views.StaffMemberViewSet, basename="staff")
router.register(
    "readiness-assessments", views.ReadinessAssessmentViewSet, basename="readiness-assessment"
)
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("freezes", ChangeFreezeViewSet, basename="freeze")
router.register("raid-items", RaidItemViewSet, basename="raid-item")
router.register("baselines", BaselineViewSet, basename="baseline")
router.register("exit-plans", ExitPlanViewSet, basename="exit-plan")
router.register("rehearsals", RehearsalViewSet, basename="rehearsal")
router.register("remediation-actions", RemediationActionViewSet, basename="remediation-action")
router.register("kpis", KpiViewSet, basename="kpi")
router.register("kpi-actuals", KpiActualViewSet, basename="kpi-actual")
router.register("deliverables", DeliverableViewSet, basename="deliverable")

app_name = "api"

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="token"),
    path("v1/portfolio/", PortfolioView.as_view(), name="portfolio"),
    path("v1/search/", SearchView.as_view(), name="search"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up code as a file, not an inline script, so
    # the docs work under the Content-Security-Policy.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
]

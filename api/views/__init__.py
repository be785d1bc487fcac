"""Viewsets of the REST API at /api/v1/: thin, reading selectors and writing through services.

In modules by resource; everything is re-exported here.
"""

from .accounts import LockedOut, NotificationViewSet, TokenView
from .common import ServiceViewSet, blocked_response
from .notices import ExitNoticeViewSet
from .plan import (
    AssetViewSet,
    MilestoneViewSet,
    PlanItemViewSet,
    ReadinessAssessmentViewSet,
    StaffMemberViewSet,
)
from .processes import OutsourcedProcessViewSet, ProgrammeViewSet
from .register import ContractViewSet, ServiceProviderViewSet

__all__ = [
    "AssetViewSet",
    "ContractViewSet",
    "ExitNoticeViewSet",
    "LockedOut",
    "MilestoneViewSet",
    "NotificationViewSet",
    "OutsourcedProcessViewSet",
    "PlanItemViewSet",
    "ProgrammeViewSet",
    "ReadinessAssessmentViewSet",
    "ServiceProviderViewSet",
    "ServiceViewSet",
    "StaffMemberViewSet",
    "TokenView",
    "blocked_response",
]

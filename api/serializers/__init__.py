"""Serializers of the REST API: model fields as in docs/domain.md, plus computed values.

Serializers validate shapes only; `create`/`update` call the same services the pages use,
so permissions and business rules are identical.

In modules by resource; everything is re-exported here.
"""

from .accounts import IssuedTokenSerializer, NotificationSerializer, TokenCredentialsSerializer
from .common import EARLIEST, LATEST, PlausibleDateField, ServiceModelSerializer
from .notices import ExitNoticeSerializer, NoticeWithdrawalSerializer
from .plan import (
    AssetSerializer,
    MilestoneSerializer,
    PlanItemSerializer,
    ReadinessAssessmentSerializer,
    StaffMemberSerializer,
)
from .processes import (
    AvailableTransitionSerializer,
    OutsourcedProcessListSerializer,
    OutsourcedProcessSerializer,
    ProcessEventSerializer,
    ProgrammeSerializer,
    TransitionBlockedSerializer,
    TransitionInputSerializer,
)
from .register import (
    ContractNoticeSerializer,
    ContractSerializer,
    ExitDateQuerySerializer,
    ExitDateSerializer,
    ServiceProviderSerializer,
)

__all__ = [
    "AssetSerializer",
    "AvailableTransitionSerializer",
    "ContractNoticeSerializer",
    "ContractSerializer",
    "EARLIEST",
    "ExitDateQuerySerializer",
    "ExitDateSerializer",
    "ExitNoticeSerializer",
    "IssuedTokenSerializer",
    "LATEST",
    "MilestoneSerializer",
    "NoticeWithdrawalSerializer",
    "NotificationSerializer",
    "OutsourcedProcessListSerializer",
    "OutsourcedProcessSerializer",
    "PlanItemSerializer",
    "PlausibleDateField",
    "ProcessEventSerializer",
    "ProgrammeSerializer",
    "ReadinessAssessmentSerializer",
    "ServiceModelSerializer",
    "ServiceProviderSerializer",
    "StaffMemberSerializer",
    "TokenCredentialsSerializer",
    "TransitionBlockedSerializer",
    "TransitionInputSerializer",
]

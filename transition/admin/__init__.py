"""Admin for the transition app; importing the modules registers their model admins."""

from .baseline import BaselineAdmin
from .contract import ContractProcessInline, ContractWithProcessesAdmin
from .exit_plan import ExitPlanAdmin, RehearsalAdmin, RemediationActionAdmin  # noqa: F401
from .freeze import ChangeFreezeAdmin
from .notice import ExitNoticeAdmin, WithdrawNoticeForm
from .plan import (
    AssetAdmin,
    MilestoneAdmin,
    MilestoneAdminForm,
    ReadinessAssessmentAdmin,
    StaffMemberAdmin,
)
from .privacy import StaffPurgeAdmin
from .process import OutsourcedProcessAdmin, ProcessEventAdmin, ProgrammeAdmin
from .scorecard import KpiActualAdmin, KpiAdmin

__all__ = [
    "AssetAdmin",
    "BaselineAdmin",
    "ChangeFreezeAdmin",
    "ContractProcessInline",
    "ContractWithProcessesAdmin",
    "ExitNoticeAdmin",
    "KpiActualAdmin",
    "KpiAdmin",
    "MilestoneAdmin",
    "MilestoneAdminForm",
    "OutsourcedProcessAdmin",
    "ProcessEventAdmin",
    "ProgrammeAdmin",
    "ReadinessAssessmentAdmin",
    "StaffMemberAdmin",
    "StaffPurgeAdmin",
    "WithdrawNoticeForm",
]

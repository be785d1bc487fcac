"""Admin for the transition app; importing the modules registers their model admins."""

from .baseline import BaselineAdmin
from .contract import ContractProcessInline, ContractWithProcessesAdmin
from .freeze import ChangeFreezeAdmin
from .notice import ExitNoticeAdmin, WithdrawNoticeForm
from .plan import (
    AssetAdmin,
    MilestoneAdmin,
    MilestoneAdminForm,
    ReadinessAssessmentAdmin,
    StaffMemberAdmin,
)
from .process import OutsourcedProcessAdmin, ProcessEventAdmin, ProgrammeAdmin

__all__ = [
    "AssetAdmin",
    "BaselineAdmin",
    "ChangeFreezeAdmin",
    "ContractProcessInline",
    "ContractWithProcessesAdmin",
    "ExitNoticeAdmin",
    "MilestoneAdmin",
    "MilestoneAdminForm",
    "OutsourcedProcessAdmin",
    "ProcessEventAdmin",
    "ProgrammeAdmin",
    "ReadinessAssessmentAdmin",
    "StaffMemberAdmin",
    "WithdrawNoticeForm",
]

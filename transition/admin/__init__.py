"""Admin for the transition app; importing the modules registers their model admins."""

from .contract import ContractProcessInline, ContractWithProcessesAdmin
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

"""Admin for the transition app; importing the modules registers their model admins."""

from .plan import (
    AssetAdmin,
    MilestoneAdmin,
    MilestoneAdminForm,
    ReadinessAssessmentAdmin,
    StaffMemberAdmin,
)
from .process import OutsourcedProcessAdmin, ProcessEventAdmin, ProgrammeAdmin, with_plan_dates

__all__ = [
    "AssetAdmin",
    "MilestoneAdmin",
    "MilestoneAdminForm",
    "OutsourcedProcessAdmin",
    "ProcessEventAdmin",
    "ProgrammeAdmin",
    "ReadinessAssessmentAdmin",
    "StaffMemberAdmin",
    "with_plan_dates",
]

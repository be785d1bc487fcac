"""Models of the transition app, re-exported so `transition.models.X` keeps working."""

from .baseline import Baseline, BaselineMilestone
from .business_case import BusinessCaseInputs
from .exit_plan import ExitPlan, Rehearsal, RemediationAction
from .freeze import ChangeFreeze
from .plan import Asset, Milestone, ReadinessAssessment, StaffMember
from .privacy import StaffPurge
from .process import OutsourcedProcess, ProcessEvent, Programme
from .scorecard import Kpi, KpiActual

__all__ = [
    "Asset",
    "Baseline",
    "BaselineMilestone",
    "BusinessCaseInputs",
    "ChangeFreeze",
    "ExitPlan",
    "Kpi",
    "KpiActual",
    "Milestone",
    "OutsourcedProcess",
    "ProcessEvent",
    "Programme",
    "ReadinessAssessment",
    "Rehearsal",
    "RemediationAction",
    "StaffMember",
    "StaffPurge",
]

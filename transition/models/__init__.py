"""Models of the transition app, re-exported so `transition.models.X` keeps working."""

from .baseline import Baseline, BaselineMilestone
from .business_case import BusinessCaseInputs
from .freeze import ChangeFreeze
from .plan import Asset, Milestone, ReadinessAssessment, StaffMember
from .process import OutsourcedProcess, ProcessEvent, Programme

__all__ = [
    "Asset",
    "Baseline",
    "BaselineMilestone",
    "BusinessCaseInputs",
    "ChangeFreeze",
    "Milestone",
    "OutsourcedProcess",
    "ProcessEvent",
    "Programme",
    "ReadinessAssessment",
    "StaffMember",
]

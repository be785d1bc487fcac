"""Models of the transition app, re-exported so `transition.models.X` keeps working."""

from .business_case import BusinessCaseInputs
from .plan import Asset, Milestone, ReadinessAssessment, StaffMember
from .process import OutsourcedProcess, ProcessEvent, Programme

__all__ = [
    "Asset",
    "BusinessCaseInputs",
    "Milestone",
    "OutsourcedProcess",
    "ProcessEvent",
    "Programme",
    "ReadinessAssessment",
    "StaffMember",
]

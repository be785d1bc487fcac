"""Import/export resources of every list, keyed by natural keys so an export imports back.

Rows refer to others by what people see: a provider by name, a contract by reference, a
programme by name, a process by its programme's name plus its own name, a user by username.
Imports are set-based: existing rows and every referenced object are loaded once per import
(not once per row), new rows are bulk-created and changed rows bulk-updated.
"""

from .base import NaturalKeyResource
from .plan import AssetResource, MilestoneResource, PlanItemResource, StaffMemberResource
from .register import (
    ContractResource,
    OutsourcedProcessResource,
    ProgrammeResource,
    ServiceProviderResource,
)
from .widgets import text

__all__ = [
    "RESOURCES",
    "AssetResource",
    "ContractResource",
    "MilestoneResource",
    "NaturalKeyResource",
    "OutsourcedProcessResource",
    "PlanItemResource",
    "ProgrammeResource",
    "ServiceProviderResource",
    "StaffMemberResource",
    "text",
]

RESOURCES = {
    "providers": ServiceProviderResource,
    "contracts": ContractResource,
    "programmes": ProgrammeResource,
    "processes": OutsourcedProcessResource,
    "milestones": MilestoneResource,
    "assets": AssetResource,
    "staff": StaffMemberResource,
}

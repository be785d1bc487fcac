"""Import/export columns of programmes, processes, their plans and exit notices
(docs/import-export.md), in modules by subject; everything is re-exported here.

Rows name others by what people see: a contract by reference, a programme by name, a
process by its programme's name plus its own name, a milestone's predecessors by title.
"""

from .notices import ExitNoticeResource
from .plan import AssetResource, MilestoneResource, PlanItemResource, StaffMemberResource
from .register import OutsourcedProcessResource, ProcessWidget, ProgrammeResource, process_key

__all__ = [
    "AssetResource",
    "ExitNoticeResource",
    "MilestoneResource",
    "OutsourcedProcessResource",
    "PlanItemResource",
    "ProcessWidget",
    "ProgrammeResource",
    "StaffMemberResource",
    "process_key",
]

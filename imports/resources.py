"""The kinds of import, each with the resource of its app (docs/import-export.md).

Each app describes its own columns (contracts/resources.py, transition/resources.py) on the
shared base in core/resources.py; this registry names them for the upload flow.
"""

from contracts.resources import ContractResource, ServiceProviderResource
from contracts.resources_deliverables import DeliverableResource
from core.resources import NaturalKeyResource
from core.widgets import text
from raid.resources import RaidItemResource
from transition.resources import (
    AssetResource,
    ExitNoticeResource,
    MilestoneResource,
    OutsourcedProcessResource,
    PlanItemResource,
    ProgrammeResource,
    StaffMemberResource,
)
from transition.resources.scorecard import KpiActualResource

__all__ = [
    "RESOURCES",
    "AssetResource",
    "ContractResource",
    "ExitNoticeResource",
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
    "notices": ExitNoticeResource,
    "raid": RaidItemResource,
    "kpi_actuals": KpiActualResource,
    "deliverables": DeliverableResource,
}

"""Who may edit the RAID log (docs/domain.md, Roles; raid.md).

As the plan of a process (transition/rules.py, `edit_plan`): operations managers edit every
item, a project lead the items of the processes they lead. A programme's own items are
edited as the programme is: by operations managers only. Everyone signed in reads.

The object is a RaidItem or an OutsourcedProcess; `leads_process` finds the process of
either (None for a programme's item) and denies without one.
"""

import rules

from accounts.predicates import is_lead_of_process, is_operations_manager

EDIT_RAID = "raid.edit_item"

rules.add_perm(EDIT_RAID, is_operations_manager | is_lead_of_process)

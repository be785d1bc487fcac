"""The three roles of DESIGN.md section 4, held as Django groups."""

OPERATIONS_MANAGERS = "Operations managers"
PROJECT_LEADS = "Project leads"
VIEWERS = "Viewers"
ROLE_GROUPS = (OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS)

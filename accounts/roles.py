"""The three roles of docs/domain.md, Roles, held as Django groups."""

OPERATIONS_MANAGERS = "Operations managers"
PROJECT_LEADS = "Project leads"
VIEWERS = "Viewers"
ROLE_GROUPS = (OPERATIONS_MANAGERS, PROJECT_LEADS, VIEWERS)

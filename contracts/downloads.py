"""What a download of a notice's proof or a deliverable's evidence says when there is no
file: one wording for the pages and the API, which both serve them through
`core.files.stored_file_response`."""

from django.utils.translation import gettext_lazy as _

PROOF_MESSAGES = {
    "absent": _("No proof of service is attached to this notice."),
    "missing": _("The file of this proof of service is missing."),
}
EVIDENCE_MESSAGES = {
    "absent": _("No evidence is attached to this deliverable."),
    "missing": _("The file of this evidence is missing."),
}

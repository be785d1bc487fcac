"""A contract's exit notices, as its page shows them (docs/domain.md, "Exit notice")."""

from __future__ import annotations

from ..models import Contract, ExitNotice


def contract_notices(contract: Contract) -> list[ExitNotice]:
    """Every notice of `contract`, in force or withdrawn, newest first, with the people it
    names, in one query. The processes in their scope belong to the app above this one,
    which adds them to these rows (`transition.selectors.with_notice_scope`)."""
    return list(contract.exit_notices.select_related("served_by", "withdrawn_by"))

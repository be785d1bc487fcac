"""Sections the transition app adds to pages of lower apps (docs/architecture.md).

The register's contract page lists the contract's processes; the contracts app cannot
import this app (it sits below it), so its template asks for the section by tag.
"""

from django import template

from ..selectors import contract_processes as contract_processes_selector

register = template.Library()


@register.inclusion_tag("transition/partials/_contract_processes.html", takes_context=True)
def contract_processes(context, contract):
    return {
        "contract": contract,
        "processes": contract_processes_selector(contract),
        "perms": context.get("perms"),
        "user": context.get("user"),
        "request": context.get("request"),
    }

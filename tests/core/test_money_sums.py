"""Money is summed over rows in one place only (docs/architecture.md, "Money")."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "api",
    "contracts",
    "core",
    "currencies",
    "imports",
    "reminders",
    "transition",
    "web",
)
# The one module allowed to add money up: it groups by currency before converting.
PORTFOLIO = ROOT / "transition" / "selectors" / "portfolio.py"
MONEY_SUM = re.compile(r"Sum\(\s*(?:F\()?\s*[\"'][\w_]*(cost|value|budget|fee|saving)", re.I)


def test_no_module_but_the_portfolio_selector_sums_money_in_sql():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if path != PORTFOLIO and "migrations" not in path.parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if MONEY_SUM.search(line)
    ]

    assert offenders == []


def test_the_check_finds_a_money_sum():
    assert MONEY_SUM.search('annual=Sum("processes__annual_outsourced_cost"),')
    assert MONEY_SUM.search("Sum(F('book_value'))")
    assert not MONEY_SUM.search('Sum("pk")')

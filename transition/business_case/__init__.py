"""The business case finance signs: cash flow, NPV, scenarios, sensitivity, roll-up.

docs/business-case.md describes the model. `model`, `engine`, `scenarios`, `sensitivity` and
`rollup` are plain values and functions; `selectors` reads the database.
"""

from .engine import npv, run_case
from .model import CaseInputError, CaseInputs, CaseResult, YearFlow
from .scenarios import Scenario, scenarios
from .sensitivity import Sensitivity, SensitivityRow, sensitivity

__all__ = [
    "CaseInputError",
    "CaseInputs",
    "CaseResult",
    "Scenario",
    "Sensitivity",
    "SensitivityRow",
    "YearFlow",
    "npv",
    "run_case",
    "scenarios",
    "sensitivity",
]

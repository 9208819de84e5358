"""CAO catalogue: data files per CAO, validated on load, versioned by validity dates.

    from contracts.cao import catalogue
    cao = catalogue().get("hoveniers", date(2026, 5, 4))   # or get_cao("hoveniers", day)

Data: contracts/cao/data/<code>.json, one CAO per file. Either one version with all fields
at top level, or {"code", "name", "versions": [...]} where each later version lists only
what changed. Every number is {"value": "<decimal string>", "source": "[n]", "year": Y}
(nl-facts.md reference numbers) or {"value": ..., "example": true}; surcharges, overtime
rules and breaks carry source/year/example on the item. Percentages are the extra on top
of the base wage. See contracts/cao/schema.py for the fields and their checks.
"""

from contracts.cao.feestdagen import HOLIDAY_NAMES, holidays_in_year
from contracts.cao.loader import (
    ApplicableCao, Catalogue, CaoNotFound, applicable_cao, catalogue, get_cao, load_catalogue, load_file,
)
from contracts.cao.model import BreakRule, Cao, OvertimeRule, Provenance, Surcharge
from contracts.cao.schema import CaoFileError

__all__ = [
    "ApplicableCao", "BreakRule", "Cao", "CaoFileError", "CaoNotFound", "Catalogue",
    "HOLIDAY_NAMES", "OvertimeRule", "Provenance", "Surcharge", "applicable_cao", "catalogue",
    "get_cao", "holidays_in_year", "load_catalogue", "load_file",
]

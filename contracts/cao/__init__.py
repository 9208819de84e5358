"""CAO catalogue: data files per CAO, validated on load, versioned by validity dates.

    from contracts.cao import catalogue
    cao = catalogue().get("hoveniers", date(2026, 5, 4))
"""

from contracts.cao.feestdagen import HOLIDAY_NAMES, holidays_in_year
from contracts.cao.loader import (
    ApplicableCao, Catalogue, CaoNotFound, applicable_cao, catalogue, load_catalogue, load_file,
)
from contracts.cao.model import BreakRule, Cao, OvertimeRule, Provenance, Surcharge
from contracts.cao.schema import CaoFileError

__all__ = [
    "ApplicableCao", "BreakRule", "Cao", "CaoFileError", "CaoNotFound", "Catalogue",
    "HOLIDAY_NAMES", "OvertimeRule", "Provenance", "Surcharge", "applicable_cao", "catalogue",
    "holidays_in_year", "load_catalogue", "load_file",
]

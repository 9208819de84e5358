"""What text the service stores and exports: no lone surrogates (no database driver can encode
them; PostgreSQL also refuses NUL) and no control characters but tab, line feed and carriage
return (no XML document, so no UBL e-invoice, may hold them)."""
import re
from decimal import Decimal

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# ---- CSV cells (invoice lines, the payroll statement) ----
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet runs a cell starting with one as a formula


def csv_text(value: str) -> str:
    """Free text (a name, a description) as a cell a spreadsheet shows and never runs: a leading
    apostrophe before a formula character (OWASP's CSV-injection advice). Numbers are not text cells."""
    return f"'{value}" if value.startswith(FORMULA_START) else value


def two_decimals(value: Decimal) -> str:
    """An amount or a number of hours as exports write it: two decimals and a decimal point."""
    return f"{value:.2f}"

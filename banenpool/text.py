"""What text the service stores and exports: no lone surrogates (no database driver can encode
them; PostgreSQL also refuses NUL) and no control characters but tab, line feed and carriage
return (no XML document, so no UBL e-invoice, may hold them)."""
import re

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

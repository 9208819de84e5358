"""Service functions: each does one unit of work inside the caller's session and transaction."""

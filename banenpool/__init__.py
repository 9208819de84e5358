"""Banenpool: a shared-worker job pool service."""

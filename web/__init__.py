"""The web layer: Flask app factory, JSON API (flask-smorest) and HTML pages."""
from web.app import create_app

__all__ = ["create_app"]

"""Configuration from the environment (see README: DATABASE_URL, BANENPOOL_SECRET_KEY, ...)."""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def instance_dir() -> Path:
    return Path(os.environ.get("BANENPOOL_INSTANCE_DIR", REPO_ROOT / "instance"))


def default_database_url(instance_dir: Path) -> str:
    return f"sqlite:///{instance_dir / 'banenpool.db'}"


def _secret_key(instance_dir: Path) -> str:
    """Secret key from the environment, else one generated once and kept under instance/."""
    if key := os.environ.get("BANENPOOL_SECRET_KEY"):
        return key
    path = instance_dir / "secret_key"
    instance_dir.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


@dataclass
class Settings:
    database_url: str
    secret_key: str
    queue_url: str
    instance_dir: Path
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls) -> "Settings":
        where = instance_dir()
        db_url = os.environ.get("DATABASE_URL") or default_database_url(where)
        queue_url = os.environ.get("BANENPOOL_QUEUE_URL") or f"sqlite:///{where / 'queue.db'}"
        return cls(db_url, _secret_key(where), queue_url, where)

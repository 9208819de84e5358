"""Who is asking: the role and the employer or worker a login belongs to."""
from __future__ import annotations

from dataclasses import dataclass

from banenpool.errors import Forbidden


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    role: str
    employer_id: int | None = None
    worker_id: int | None = None

    @property
    def is_intermediary(self) -> bool:
        return self.role == "intermediary"

    def require(self, *roles: str) -> None:
        if self.role not in roles:
            raise Forbidden(f"role {self.role} may not do this")

    def may_see_employer(self, employer_id: int | None) -> bool:
        return self.is_intermediary or (self.role == "employer" and self.employer_id == employer_id)

    def may_see_worker(self, worker_id: int | None) -> bool:
        return self.is_intermediary or (self.role == "worker" and self.worker_id == worker_id)


SYSTEM = Principal(user_id=None, role="intermediary")

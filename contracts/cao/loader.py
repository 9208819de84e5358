"""Load the CAO catalogue: one JSON file per CAO code, one or more dated versions.

A file is either one version (all fields at top level) or ``{"code", "name",
"versions": [...]}`` where each version lists only what changed: it inherits every other
field from the version before it. Versions of one code may not overlap.
After the last version's `valid_to` that version keeps applying (nawerking), and
`Cao.nawerking_note(day)` says so; before the first version there is no CAO.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from contracts.cao.model import Cao
from contracts.cao.schema import CaoFileError, parse_version
from contracts.wml import ADULT_AGE, WML_ROWS, minimum_hourly_wage

DATA_DIR = Path(__file__).with_name("data")


class CaoNotFound(LookupError):
    """No CAO with that code, or none valid on that day."""


class Catalogue:
    """All CAO versions by code; `get(code, on)` picks the version valid that day."""

    def __init__(self, caos: list[Cao]):
        self._by_code: dict[str, list[Cao]] = {}
        for cao in caos:
            self._by_code.setdefault(cao.code, []).append(cao)
        for code, versions in self._by_code.items():
            versions.sort(key=lambda c: c.valid_from)
            _check_no_overlap(versions)

    def codes(self) -> list[str]:
        return sorted(self._by_code)

    def versions(self, code: str) -> list[Cao]:
        if code not in self._by_code:
            raise CaoNotFound(f"unknown cao {code!r} (known: {', '.join(self.codes())})")
        return list(self._by_code[code])

    def get(self, code: str, on: date) -> Cao:
        versions = self.versions(code)
        for cao in versions:
            if cao.valid_from <= on and (cao.valid_to is None or on <= cao.valid_to):
                return cao
        last = versions[-1]
        if last.valid_to is not None and on > last.valid_to:  # nawerking
            return last
        raise CaoNotFound(f"cao {code!r} has no version valid on {on.isoformat()}")

    def latest(self, code: str) -> Cao:
        return self.versions(code)[-1]

    def __contains__(self, code: str) -> bool:
        return code in self._by_code


def load_catalogue(directory: str | Path | None = None) -> Catalogue:
    """Read and validate every ``*.json`` in `directory` (default: the shipped data)."""
    folder = Path(directory) if directory is not None else DATA_DIR
    caos: list[Cao] = []
    for path in sorted(folder.glob("*.json")):
        caos.extend(load_file(path))
    if not caos:
        raise CaoFileError(str(folder), "", "no CAO files found")
    return Catalogue(caos)


def load_file(path: Path) -> list[Cao]:
    """All versions in one CAO file, validated."""
    name = path.name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise CaoFileError(name, "", f"not valid JSON ({err.msg} at line {err.lineno})") from err
    if not isinstance(raw, dict):
        raise CaoFileError(name, "", "must hold a JSON object")
    if "versions" not in raw:
        caos = [parse_version(raw, name)]
    else:
        caos = _parse_versions(raw, name)
    for cao in caos:
        _check_scales_above_wml(cao)
    return caos


def _parse_versions(raw: dict, name: str) -> list[Cao]:
    extra = set(raw) - {"code", "name", "versions"}
    if extra:
        raise CaoFileError(name, sorted(extra)[0], "unknown field (a file with versions holds only code, name, versions)")
    if not isinstance(raw["versions"], list) or not raw["versions"]:
        raise CaoFileError(name, "versions", "must be a non-empty list")
    merged: dict = {"code": raw.get("code"), "name": raw.get("name")}
    caos = []
    for i, version in enumerate(raw["versions"]):
        if not isinstance(version, dict):
            raise CaoFileError(name, f"versions[{i}]", "must be an object")
        merged = {**merged, "valid_to": None, **version}
        caos.append(parse_version(merged, name, prefix=f"versions[{i}]"))
    return caos


def _check_no_overlap(versions: list[Cao]) -> None:
    for before, after in zip(versions, versions[1:]):
        if before.valid_to is None or before.valid_to >= after.valid_from:
            raise CaoFileError(after.source_file, "valid_from",
                               f"version from {after.valid_from} overlaps the one from {before.valid_from}")


def _check_scales_above_wml(cao: Cao) -> None:
    """Example scales must clear the latest known adult WML; sourced ones the WML of their period."""
    for scale, wage in cao.wage_scales.items():
        for row in _rows_to_check(cao, cao.is_example(f"wage_scales.{scale}")):
            minimum = minimum_hourly_wage(row.effective, ADULT_AGE)
            if wage < minimum:
                raise CaoFileError(cao.source_file, f"wage_scales.{scale}.value",
                                   f"{wage} is below the minimum wage {minimum} of {row.effective} (21+)")


def _rows_to_check(cao: Cao, example: bool):
    if example:
        return WML_ROWS[-1:]
    end = cao.valid_to or date.max
    in_force = [r for r in WML_ROWS if r.effective <= cao.valid_from][-1:]
    return in_force + [r for r in WML_ROWS if cao.valid_from < r.effective <= end]


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The shipped catalogue, loaded once per process."""
    return load_catalogue()


def get_cao(code: str, on: date) -> Cao:
    """The shipped CAO `code` in the version valid on `on` (see `Catalogue.get`)."""
    return catalogue().get(code, on)


@dataclass(frozen=True)
class ApplicableCao:
    cao: Cao
    note: str | None = None


def applicable_cao(contract_cao: Cao, hirer_cao: Cao | None) -> ApplicableCao:
    """The CAO whose pay applies to a placement.

    Under the uitzend-CAO's inlenersbeloning (ABU/NBBU art. 16 [28][29][30]) a placed
    worker is paid, from day 1, at least what the HIRING employer pays comparable staff:
    wage scale, ADV, surcharges, raises and allowances. So the hirer's CAO applies.
    """
    if not contract_cao.inlenersbeloning:
        return ApplicableCao(contract_cao)
    if hirer_cao is None:
        return ApplicableCao(contract_cao, f"Inlener heeft geen cao; de eigen regeling van {contract_cao.name} geldt.")
    return ApplicableCao(hirer_cao, (
        f"Inlenersbeloning ({contract_cao.name}, art. 16 [28]): de uitzendkracht krijgt vanaf dag 1 "
        f"loon, toeslagen en overwerk volgens de cao van de inlener ({hirer_cao.name})."
    ))

import json
import re
from datetime import date
from decimal import Decimal

import holidays
import pytest

from contracts.cao import (
    HOLIDAY_NAMES, CaoNotFound, applicable_cao, catalogue, get_cao, holidays_in_year, load_catalogue,
)
from contracts.cao.feestdagen import BEVRIJDINGSDAG_LUSTRUM
from contracts.wml import WML_ROWS

REQUIRED = {"hoveniers", "taxi", "beroepsgoederenvervoer", "schoonmaak", "recreatie", "zoetwaren", "abu"}
NL_FACTS_SOURCES = 96
DAY = date(2026, 1, 5)


def all_versions():
    cat = catalogue()
    return [cao for code in cat.codes() for cao in cat.versions(code)]


def test_ships_the_required_caos():
    assert REQUIRED <= set(catalogue().codes())
    assert load_catalogue().codes() == catalogue().codes()


def test_no_scale_falls_below_the_latest_adult_minimum_wage():
    latest = WML_ROWS[-1].by_age[21]
    for cao in all_versions():
        for name, wage in cao.wage_scales.items():
            assert wage >= latest, (cao.code, name)
            assert cao.is_example(f"wage_scales.{name}"), "nl-facts has no scale amounts"


def test_every_source_points_into_the_facts_sheet_and_has_a_year():
    for cao in all_versions():
        for path, prov in cao.provenance.items():
            if prov.example:
                continue
            numbers = [int(n) for n in re.findall(r"\[(\d+)\]", prov.source)]
            assert numbers and all(1 <= n <= NL_FACTS_SOURCES for n in numbers), (cao.code, path)
            assert prov.year is not None


def test_facts_from_the_sheet_are_in_the_data():
    cat = catalogue()
    hoveniers = cat.get("hoveniers", DAY)
    assert hoveniers.standard_hours_per_week == Decimal("37")
    sunday = hoveniers.surcharges_of_kind("sunday")[0]
    assert sunday.percent == Decimal("100") and sunday.provenance.source == "[49][50]"
    assert cat.get("beroepsgoederenvervoer", DAY).max_hours_per_day == Decimal("10")
    assert cat.get("recreatie", DAY).max_hours_per_shift == Decimal("12")
    assert cat.get("zoetwaren", DAY).standard_hours_per_week == Decimal("36")
    taxi = cat.get("taxi", DAY)
    assert taxi.surcharges and all(s.provenance.example for s in taxi.surcharges)
    assert cat.get("abu", DAY).inlenersbeloning


def test_versions_are_picked_by_date():
    cat = catalogue()
    assert cat.get("schoonmaak", date(2024, 6, 30)).min_paid_hours_per_call is None
    assert cat.get("schoonmaak", date(2024, 7, 1)).min_paid_hours_per_call == Decimal("1")
    assert cat.get("schoonmaak", date(2025, 12, 31)).overtime
    assert cat.get("schoonmaak", date(2026, 1, 1)).overtime == ()
    assert len(cat.versions("schoonmaak")) == 3
    assert get_cao("schoonmaak", date(2026, 1, 1)) is cat.versions("schoonmaak")[2]


def test_after_the_last_version_it_keeps_applying_with_a_note():
    cat = catalogue()
    last = cat.get("hoveniers", date(2026, 11, 1))
    assert last is cat.versions("hoveniers")[-1]
    assert last.nawerking_note(date(2024, 9, 30)) is None
    assert "nawerking" in last.nawerking_note(date(2024, 10, 1))


def test_before_the_first_version_or_unknown_code_is_not_found():
    with pytest.raises(CaoNotFound):
        catalogue().get("hoveniers", date(2023, 6, 30))
    with pytest.raises(CaoNotFound, match="known"):
        catalogue().get("metaal", DAY)


def test_to_dict_is_json_with_decimal_strings_and_example_flags():
    data = json.loads(json.dumps(catalogue().get("hoveniers", DAY).to_dict()))
    assert data["standard_hours_per_week"] == {"value": "37", "source": "[49][50]", "year": 2023, "example": False}
    assert data["wage_scales"]["A"]["example"] is True
    assert data["lowest_scale"] == "A"
    evening = next(s for s in data["surcharges"] if s["kind"] == "evening")
    assert (evening["from"], evening["to"], evening["percent"]) == ("19:00", "22:00", "30")


def test_lowest_scale_and_unknown_scale():
    cao = catalogue().get("recreatie", DAY)
    lowest = cao.lowest_scale()
    assert cao.wage_scales[lowest] == min(cao.wage_scales.values())
    assert cao.scale_wage(None) == cao.wage_scales[lowest]
    with pytest.raises(KeyError, match="known"):
        cao.scale_wage("Z")


def test_holiday_dates_agree_with_the_holidays_package():
    for year in range(2020, 2031):
        ours = {day: names for day, names in holidays_in_year(year).items()}
        theirs = holidays.NL(years=year, language="nl")
        # holidays.NL has Bevrijdingsdag in lustrum years only; ours names every 5 May.
        expected = {day for day in theirs} | {date(year, 5, 5)}
        assert set(ours) == expected, year


def test_2026_dates_from_the_facts_sheet():
    days = set(holidays_in_year(2026))
    listed = {date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 5), date(2026, 4, 6), date(2026, 4, 27),
              date(2026, 5, 5), date(2026, 5, 14), date(2026, 5, 24), date(2026, 5, 25),
              date(2026, 12, 25), date(2026, 12, 26)}
    assert days == listed


def test_the_cao_decides_which_holidays_count():
    hoveniers = catalogue().get("hoveniers", DAY)
    assert "Goede vrijdag" not in hoveniers.public_holidays
    assert BEVRIJDINGSDAG_LUSTRUM in hoveniers.public_holidays
    assert hoveniers.is_public_holiday(date(2026, 4, 6)) == "Tweede paasdag"
    assert hoveniers.is_public_holiday(date(2026, 4, 3)) is None   # Goede vrijdag
    assert hoveniers.is_public_holiday(date(2026, 5, 5)) is None   # no lustrum year
    assert hoveniers.is_public_holiday(date(2025, 5, 5)) == "Bevrijdingsdag"
    assert hoveniers.is_public_holiday(date(2025, 4, 26)) == "Koningsdag"  # 27 April 2025 is a Sunday
    assert hoveniers.is_public_holiday(date(2026, 1, 6)) is None
    assert all(name in HOLIDAY_NAMES for name in hoveniers.public_holidays)


def test_inlenersbeloning_picks_the_hirers_cao():
    cat = catalogue()
    abu, hoveniers = cat.get("abu", DAY), cat.get("hoveniers", DAY)
    placed = applicable_cao(abu, hoveniers)
    assert placed.cao is hoveniers
    assert "Inlenersbeloning" in placed.note and hoveniers.name in placed.note


def test_own_employment_keeps_its_own_cao():
    cat = catalogue()
    hoveniers, recreatie, abu = (cat.get(c, DAY) for c in ("hoveniers", "recreatie", "abu"))
    assert applicable_cao(hoveniers, recreatie).cao is hoveniers
    assert applicable_cao(hoveniers, recreatie).note is None
    alone = applicable_cao(abu, None)
    assert alone.cao is abu and alone.note

"""Broken CAO files are rejected with the file and the field named."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from contracts.cao import CaoFileError, load_catalogue
from contracts.cao.loader import DATA_DIR


def shipped(name: str) -> dict:
    return json.loads((DATA_DIR / f"{name}.json").read_text(encoding="utf-8"))


def write(folder: Path, name: str, data) -> Path:
    path = folder / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return folder


def rejects(folder: Path, expected: str):
    with pytest.raises(CaoFileError) as caught:
        load_catalogue(folder)
    assert str(caught.value) == expected
    return caught.value


def test_a_shipped_file_loads_on_its_own(tmp_path):
    cat = load_catalogue(write(tmp_path, "hoveniers.json", shipped("hoveniers")))
    assert cat.codes() == ["hoveniers"]


def test_percent_as_a_number_is_rejected(tmp_path):
    data = shipped("hoveniers")
    data["surcharges"][2]["percent"] = 100
    error = rejects(write(tmp_path, "hoveniers.json", data),
                    "hoveniers.json: surcharges[2].percent: must be a decimal string")
    assert (error.file, error.path) == ("hoveniers.json", "surcharges[2].percent")


def test_a_number_without_source_or_example_flag_is_rejected(tmp_path):
    data = shipped("hoveniers")
    del data["standard_hours_per_week"]["source"]
    rejects(write(tmp_path, "hoveniers.json", data),
            "hoveniers.json: standard_hours_per_week: needs source and year, or example: true")


def test_a_source_that_is_no_reference_is_rejected(tmp_path):
    data = shipped("hoveniers")
    data["overtime"][0]["source"] = "flexpedia"
    rejects(write(tmp_path, "hoveniers.json", data),
            'hoveniers.json: overtime[0].source: must be nl-facts reference numbers like "[49][50]"')


def test_misspelt_field_is_rejected(tmp_path):
    data = shipped("hoveniers")
    data["surcharges"][0]["procent"] = data["surcharges"][0].pop("percent")
    rejects(write(tmp_path, "hoveniers.json", data), "hoveniers.json: surcharges[0].procent: unknown field")


def test_missing_required_field(tmp_path):
    data = shipped("taxi")
    del data["wage_scales"]
    rejects(write(tmp_path, "taxi.json", data), "taxi.json: wage_scales: is required")


def test_unknown_weekday_and_bad_time(tmp_path):
    data = shipped("hoveniers")
    data["surcharges"][3]["days"][1] = "tuesday"
    rejects(write(tmp_path, "hoveniers.json", data),
            "hoveniers.json: surcharges[3].days[1]: must be one of mon, tue, wed, thu, fri, sat, sun, holiday")
    data = shipped("hoveniers")
    data["surcharges"][4]["to"] = "25:00"
    rejects(write(tmp_path, "hoveniers.json", data),
            "hoveniers.json: surcharges[4].to: must be a time HH:MM between 00:00 and 24:00")


def test_end_before_start_of_validity(tmp_path):
    data = shipped("hoveniers")
    data["valid_to"] = "2023-06-30"
    rejects(write(tmp_path, "hoveniers.json", data), "hoveniers.json: valid_to: must not be before valid_from")


def test_unknown_holiday_name(tmp_path):
    data = shipped("recreatie")
    data["public_holidays"]["names"].append("Sinterklaas")
    with pytest.raises(CaoFileError, match=r"^recreatie.json: public_holidays.names\[10\]: must be one of"):
        load_catalogue(write(tmp_path, "recreatie.json", data))


def test_period_overtime_needs_weeks(tmp_path):
    data = shipped("recreatie")
    del data["overtime"][1]["period_weeks"]
    rejects(write(tmp_path, "recreatie.json", data),
            "recreatie.json: overtime[1].period_weeks: must be a whole number of weeks for a period trigger")


def test_example_scale_below_the_minimum_wage_is_rejected(tmp_path):
    data = shipped("zoetwaren")
    data["wage_scales"]["A"]["value"] = "14.70"
    with pytest.raises(CaoFileError, match=r"^zoetwaren.json: wage_scales.A.value: 14.70 is below the minimum wage 14.71"):
        load_catalogue(write(tmp_path, "zoetwaren.json", data))
    data["wage_scales"]["A"]["value"] = "14.71"
    assert load_catalogue(write(tmp_path, "zoetwaren.json", data)).latest("zoetwaren").wage_scales["A"] == Decimal("14.71")


def test_error_in_a_later_version_names_that_version(tmp_path):
    data = shipped("schoonmaak")
    data["versions"][1]["min_paid_hours_per_call"]["value"] = "een"
    rejects(write(tmp_path, "schoonmaak.json", data),
            "schoonmaak.json: versions[1].min_paid_hours_per_call.value: must be a decimal string")


def test_later_versions_inherit_unchanged_fields(tmp_path):
    cat = load_catalogue(write(tmp_path, "schoonmaak.json", shipped("schoonmaak")))
    first, second, third = cat.versions("schoonmaak")
    assert second.surcharges == first.surcharges
    assert third.min_paid_hours_per_call == second.min_paid_hours_per_call == Decimal("1")


def test_overlapping_versions_are_rejected(tmp_path):
    data = shipped("schoonmaak")
    data["versions"][1]["valid_from"] = "2024-06-01"
    with pytest.raises(CaoFileError, match="overlaps"):
        load_catalogue(write(tmp_path, "schoonmaak.json", data))


def test_not_json_is_rejected(tmp_path):
    with pytest.raises(CaoFileError, match=r"^taxi.json: not valid JSON"):
        load_catalogue(write(tmp_path, "taxi.json", '{"code": "taxi",'))


def test_empty_folder_is_rejected(tmp_path):
    with pytest.raises(CaoFileError, match="no CAO files"):
        load_catalogue(tmp_path)

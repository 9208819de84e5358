from dataclasses import replace
from datetime import date
from decimal import Decimal

from contracts.cao import catalogue
from contracts.caodiff import TOPICS, compare_move, diff_caos

DAY = date(2026, 1, 5)


def cao(code):
    return catalogue().get(code, DAY)


def by_topic(differences):
    return {d.topic: d for d in differences}


def test_sunday_message_in_dutch():
    sunday = by_topic(diff_caos(cao("hoveniers"), cao("recreatie")))["sunday"]
    assert sunday.message == "Zondag: +100 % (hoveniers) vs +25 % (recreatie)"
    assert (sunday.a, sunday.b) == ("+100 %", "+25 %")


def test_sunday_message_in_english():
    sunday = by_topic(diff_caos(cao("hoveniers"), cao("recreatie"), lang="en"))["sunday"]
    assert sunday.message == "Sunday: +100 % (hoveniers) vs +25 % (recreatie)"


def test_standard_week_and_limits():
    topics = by_topic(diff_caos(cao("hoveniers"), cao("beroepsgoederenvervoer")))
    assert topics["standard_hours_per_week"].message == "Standaard werkweek: 37 uur (hoveniers) vs 40 uur (beroepsgoederenvervoer)"
    assert topics["max_hours_per_day"].b == "10 uur"
    assert topics["max_hours_per_day"].a == "geen cao-grens"


def test_example_numbers_are_marked():
    topics = by_topic(diff_caos(cao("hoveniers"), cao("taxi")))
    assert topics["sunday"].message == "Zondag: +100 % (hoveniers) vs +50 %, voorbeeld (taxi)"
    english = by_topic(diff_caos(cao("hoveniers"), cao("taxi"), lang="en"))
    assert english["sunday"].b == "+50 %, example"
    assert "voorbeeld" in topics["lowest_scale"].a


def test_windows_and_days_are_shown_when_they_differ_from_the_usual():
    topics = by_topic(diff_caos(cao("schoonmaak"), cao("hoveniers")))
    assert topics["night"].a == "+50 % 00:00–06:00 (ma); +30 % 00:00–06:00 (di, wo, do, vr)"
    assert topics["night"].b == "+50 % 22:00–06:00"
    assert "saturday" not in topics  # +50 % on both sides


def test_overtime_minimum_per_call_and_holidays():
    topics = by_topic(diff_caos(cao("schoonmaak"), cao("recreatie")))
    assert topics["overtime"].a == "geen"  # dropped from 1-1-2026
    assert topics["overtime"].b.startswith("+50 % na 10 uur per dag")
    assert topics["min_paid_hours_per_call"].a == "1 uur"
    assert topics["public_holiday"].b == "geen; vervangende vrije tijd"


def test_same_cao_has_no_differences_unless_asked():
    assert diff_caos(cao("zoetwaren"), cao("zoetwaren")) == []
    everything = diff_caos(cao("zoetwaren"), cao("zoetwaren"), include_equal=True)
    assert [d.topic for d in everything] == list(TOPICS)


def test_public_holidays_counted_differ_when_the_lists_differ():
    hoveniers = cao("hoveniers")
    assert "public_holidays" not in by_topic(diff_caos(hoveniers, cao("recreatie")))
    with_good_friday = replace(hoveniers, code="variant", public_holidays=hoveniers.public_holidays + ("Goede vrijdag",))
    holidays = by_topic(diff_caos(hoveniers, with_good_friday))["public_holidays"]
    assert "Goede vrijdag" in holidays.b and "Goede vrijdag" not in holidays.a
    assert holidays.message.startswith("Erkende feestdagen: Nieuwjaarsdag")


def test_differences_are_json_ready():
    for difference in diff_caos(cao("abu"), cao("schoonmaak")):
        data = difference.to_dict()
        assert set(data) == {"topic", "a", "b", "message"}
        assert all(isinstance(value, str) for value in data.values())


def test_moving_changes_the_wage_by_the_scale_difference():
    worker = date(1990, 1, 1)
    old, new = cao("hoveniers"), cao("zoetwaren")
    lines = compare_move(worker, old, new, "B", "C", DAY)
    change = new.wage_scales["C"] - old.wage_scales["B"]
    assert lines[0].startswith("Uurloon:")
    assert f"+€ {change:.2f}".replace(".", ",") in lines[0]
    assert any(line.startswith("Zondag: +100 % (hoveniers) vs geen (zoetwaren)") for line in lines)
    assert not any(line.startswith("Laagste schaalloon") for line in lines)


def test_moving_tells_the_young_workers_minimum():
    lines = compare_move(date(2005, 6, 1), cao("recreatie"), cao("hoveniers"), None, None, DAY)
    assert "20 jaar" in lines[1] and "11,77" in lines[1]
    lower = cao("recreatie").scale_wage(None) - cao("hoveniers").scale_wage(None)
    sign = "+" if lower <= 0 else "−"
    assert f"{sign}€ {abs(lower):.2f}".replace(".", ",") in lines[0]


def test_moving_to_the_uitzend_cao_mentions_inlenersbeloning():
    lines = compare_move(date(1990, 1, 1), cao("hoveniers"), cao("abu"), None, None, DAY, lang="en")
    assert any("Inlenersbeloning" in line for line in lines)
    assert lines[0].startswith("Hourly wage:")
    assert Decimal(cao("abu").scale_wage(None)) >= Decimal("14.71")


def test_english_numbers_and_money_are_written_the_english_way():
    """Dutch "€ 12,50" and "9,5 uur", English "€12.50" and "9.5 h" (as the pages' own formats)."""
    worker = date(1990, 1, 1)
    old, new = cao("hoveniers"), cao("zoetwaren")
    change = new.wage_scales["C"] - old.wage_scales["B"]
    english = compare_move(worker, old, new, "B", "C", DAY, lang="en")
    assert f"+€{change:.2f}" in english[0] and "€ " not in english[0]
    assert english[1] == "Statutory minimum wage at age 36 on 5 Jan 2026: €14.71"
    dutch = compare_move(worker, old, new, "B", "C", DAY)
    assert dutch[1] == "Wettelijk minimumloon voor 36 jaar op 5 jan 2026: € 14,71"
    lowest = by_topic(diff_caos(cao("hoveniers"), cao("zoetwaren"), lang="en", include_equal=True))["lowest_scale"]
    assert lowest.a.startswith(f"€{cao('hoveniers').scale_wage(None):.2f} (scale ")


def test_english_surcharge_pay_line_names_the_days():
    from contracts.pay import preview_pay
    from zoneinfo import ZoneInfo
    from datetime import datetime
    ams = ZoneInfo("Europe/Amsterdam")
    shift = (datetime(2026, 1, 5, 1, tzinfo=ams), datetime(2026, 1, 5, 5, tzinfo=ams))  # a Monday night
    lines = preview_pay("schoonmaak", None, date(1990, 1, 1), "fixed", Decimal(32), *shift, 0, lang="en").lines
    assert [line.description for line in lines if line.kind == "surcharge"] == ["Night (Mon) 00:00–06:00 +50 %"]

"""Pay for one shift: surcharges, overtime, minimum per call, minimum wage."""

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest

from contracts.cao import catalogue
from contracts.pay import preview_pay

AMS = ZoneInfo("Europe/Amsterdam")
ADULT = date(1990, 5, 1)
CENT = Decimal("0.01")


def at(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=AMS)


def pay(code, start, end, break_minutes=0, kind="fixed", hours_per_week=Decimal(32), **kw):
    cao = catalogue().get(code, start.date())
    return preview_pay(cao, kw.pop("scale", None), kw.pop("birth_date", ADULT), kind,
                       hours_per_week, start, end, break_minutes, **kw)


def lines(result, kind):
    return [line for line in result.lines if line.kind == kind]


def hours(result, kind, text=""):
    return sum((l.hours for l in lines(result, kind) if text in l.description), Decimal(0))


def wage(code, day):
    cao = catalogue().get(code, day)
    return cao.wage_scales[cao.lowest_scale()]


def extra(base, percent):
    return (base * Decimal(percent) / 100).quantize(CENT, ROUND_HALF_UP)


def test_plain_weekday_is_base_hours_only():
    result = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 16), 30)  # Tuesday
    assert [l.kind for l in result.lines] == ["base"]
    assert result.worked_hours == Decimal("7.5")
    assert result.total == (Decimal("7.5") * wage("hoveniers", date(2026, 1, 6))).quantize(CENT)


def test_saturday_under_schoonmaak_pays_150_percent():
    result = pay("schoonmaak", at(2026, 1, 10, 10), at(2026, 1, 10, 14))  # Saturday
    base = wage("schoonmaak", date(2026, 1, 10))
    [surcharge] = lines(result, "surcharge")
    assert surcharge.description.startswith("Zaterdag")
    assert (surcharge.hours, surcharge.rate) == (Decimal(4), extra(base, 50))
    assert result.total == 4 * base + 4 * extra(base, 50)


def test_friday_is_not_saturday():
    result = pay("schoonmaak", at(2026, 1, 9, 10), at(2026, 1, 9, 14))
    assert lines(result, "surcharge") == []


def test_hoveniers_sunday_is_plus_100_percent():
    result = pay("hoveniers", at(2026, 1, 11, 9), at(2026, 1, 11, 13))
    [sunday] = lines(result, "surcharge")
    assert sunday.description == "Zondag +100 %"
    assert (sunday.hours, sunday.rate) == (Decimal(4), wage("hoveniers", date(2026, 1, 11)))


def test_evening_surcharge_covers_exactly_the_hour_after_19():
    result = pay("hoveniers", at(2026, 1, 7, 18), at(2026, 1, 7, 20))  # Wednesday
    [evening] = lines(result, "surcharge")
    assert evening.description == "Avond 19:00–22:00 +30 %"
    assert evening.hours == Decimal(1)
    assert evening.rate == extra(wage("hoveniers", date(2026, 1, 7)), 30)


def test_shift_ending_at_19_has_no_evening_surcharge():
    assert lines(pay("hoveniers", at(2026, 1, 7, 17), at(2026, 1, 7, 19)), "surcharge") == []


def test_evening_ends_where_night_begins():
    result = pay("hoveniers", at(2026, 1, 7, 21), at(2026, 1, 7, 23))
    assert hours(result, "surcharge", "Avond") == 1
    assert hours(result, "surcharge", "Nacht 22:00–06:00 +50 %") == 1


def test_night_ends_at_6():
    result = pay("hoveniers", at(2026, 1, 7, 5), at(2026, 1, 7, 7))
    assert hours(result, "surcharge", "Nacht") == 1
    assert hours(result, "base") == 2


def test_break_is_taken_from_the_middle_of_the_shift():
    # 16:00–22:00 with 60 min: the break is 18:30–19:30, so 2.5 h fall in the evening window.
    result = pay("hoveniers", at(2026, 1, 7, 16), at(2026, 1, 7, 22), 60)
    assert result.worked_hours == 5
    assert hours(result, "surcharge", "Avond") == Decimal("2.5")


def test_public_holiday_counted_by_the_cao():
    easter_monday = pay("hoveniers", at(2026, 4, 6, 8), at(2026, 4, 6, 12))
    assert hours(easter_monday, "surcharge", "Feestdag") == 4
    good_friday = pay("hoveniers", at(2026, 4, 3, 8), at(2026, 4, 3, 12))
    assert lines(good_friday, "surcharge") == []


def test_schoonmaak_christmas_pays_250_percent_highest_wins():
    result = pay("schoonmaak", at(2025, 12, 25, 8), at(2025, 12, 25, 12))
    base = wage("schoonmaak", date(2025, 12, 25))
    [holiday] = lines(result, "surcharge")
    assert holiday.rate == extra(base, 150)
    assert result.total == 4 * base + 4 * extra(base, 150)


def test_holiday_with_time_off_instead_of_money_gets_a_note():
    result = pay("recreatie", at(2026, 12, 25, 10), at(2026, 12, 25, 14))
    assert any("Eerste kerstdag" in n and "vrije tijd" in n for n in result.notes)


def test_recreatie_night_needs_five_hours_in_the_window():
    short = pay("recreatie", at(2026, 1, 7, 22), at(2026, 1, 8, 2))
    assert hours(short, "surcharge", "Nacht") == 0
    long = pay("recreatie", at(2026, 1, 7, 22), at(2026, 1, 8, 3))
    assert hours(long, "surcharge", "Nacht") == 5


def test_recreatie_break_does_not_count_toward_the_five_night_hours():
    with_break = pay("recreatie", at(2026, 1, 7, 22), at(2026, 1, 8, 3), 30)   # 4.5 h worked
    assert hours(with_break, "surcharge", "Nacht") == 0
    longer = pay("recreatie", at(2026, 1, 7, 22), at(2026, 1, 8, 3, 30), 30)    # 5 h worked
    assert hours(longer, "surcharge", "Nacht") == 5


def test_overtime_after_the_daily_trigger():
    result = pay("hoveniers", at(2026, 1, 6, 7), at(2026, 1, 6, 17, 30))  # 10.5 h, Tuesday
    [overtime] = lines(result, "overtime")
    assert overtime.hours == 1
    assert overtime.rate == extra(wage("hoveniers", date(2026, 1, 6)), 30)
    assert overtime.description == "Overwerk na 9,5 uur per dag +30 %"


def test_no_overtime_at_exactly_the_trigger():
    assert lines(pay("hoveniers", at(2026, 1, 6, 7), at(2026, 1, 6, 16, 30)), "overtime") == []


def test_overtime_counts_hours_already_worked_that_day():
    result = pay("hoveniers", at(2026, 1, 6, 14), at(2026, 1, 6, 18), worked_before_on_day=Decimal(7))
    assert hours(result, "overtime") == Decimal("1.5")


def test_weekly_trigger_uses_hours_worked_before_in_the_week():
    result = pay("zoetwaren", at(2026, 1, 8, 8), at(2026, 1, 8, 16), worked_before_in_week=Decimal(34))
    assert hours(result, "overtime") == 6
    assert "voorbeeld" in lines(result, "overtime")[0].description


def test_week_counter_restarts_on_monday():
    result = pay("zoetwaren", at(2026, 1, 11, 20), at(2026, 1, 12, 4), worked_before_in_week=Decimal(36))
    assert hours(result, "overtime") == 4  # Sunday 20:00–24:00 only


def test_highest_of_overtime_and_surcharge_wins():
    saturday = pay("hoveniers", at(2026, 1, 10, 7), at(2026, 1, 10, 17, 30))
    assert lines(saturday, "overtime") == []          # +50 % Saturday beats +30 % overtime
    assert hours(saturday, "surcharge", "Zaterdag") == Decimal("10.5")
    sunday = pay("recreatie", at(2026, 1, 11, 7), at(2026, 1, 11, 18))
    assert hours(sunday, "overtime") == 1             # +50 % overtime beats +25 % Sunday
    assert hours(sunday, "surcharge", "Zondag") == 10


def test_beroepsgoederenvervoer_pays_only_the_surcharge_during_overtime():
    saturday = pay("beroepsgoederenvervoer", at(2025, 6, 7, 8), at(2025, 6, 7, 12), worked_before_in_week=Decimal(40))
    assert lines(saturday, "overtime") == [] and hours(saturday, "surcharge", "Zaterdag") == 4
    friday = pay("beroepsgoederenvervoer", at(2025, 6, 6, 8), at(2025, 6, 6, 12), worked_before_in_week=Decimal(40))
    assert hours(friday, "overtime") == 4


def test_two_hour_call_on_call_contract_is_paid_as_three():
    result = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), kind="on_call", hours_per_week=0)
    [minimum] = lines(result, "minimum_call")
    assert minimum.hours == 1 and minimum.rate == wage("hoveniers", date(2026, 1, 6))
    assert result.paid_hours == 3 and result.worked_hours == 2


def test_hours_round_up_so_a_minimum_wage_line_never_pays_less_than_the_time_worked():
    """7 h 20 min at the 2026 minimum wage (14.71): 7.33 h would pay 107.82, under 7.333… × 14.71."""
    result = pay("abu", at(2026, 3, 10, 7), at(2026, 3, 10, 14, 20), hourly_wage=Decimal("14.71"))
    [base] = lines(result, "base")
    assert base.hours == Decimal("7.34") and base.rate == Decimal("14.71") and base.amount == Decimal("107.97")
    exact = Decimal(22) / 3 * Decimal("14.71")
    assert base.amount >= exact
    whole = pay("abu", at(2026, 3, 10, 7), at(2026, 3, 10, 14, 30))                   # 7.5 h: nothing to round
    assert lines(whole, "base")[0].hours == Decimal("7.50")


def test_minimum_call_tops_up_to_exactly_three_paid_hours():
    """2 h 0 min 18 s = 2.005 h: the base line pays 2.01 h (half up), so the top-up is 0.99 h, not 1.00 h."""
    start = at(2026, 1, 6, 9)
    result = pay("hoveniers", start, start + timedelta(hours=2, seconds=18), kind="on_call", hours_per_week=0)
    assert hours(result, "base") == Decimal("2.01") and hours(result, "minimum_call") == Decimal("0.99")
    assert sum(line.hours for line in result.lines) == 3
    assert result.total == 3 * wage("hoveniers", date(2026, 1, 6))
    # 2.996 h rounds to 3.00 h worked: nothing left to top up (no 0.00-hour line)
    almost = pay("hoveniers", start, start + timedelta(hours=2, seconds=3586), kind="on_call", hours_per_week=0)
    assert hours(almost, "base") == 3 and lines(almost, "minimum_call") == []


def test_three_hour_call_needs_no_top_up():
    result = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 12), kind="on_call", hours_per_week=0)
    assert lines(result, "minimum_call") == []


def test_min_max_below_15_hours_gets_three_hours_with_a_note():
    small = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), kind="min_max", hours_per_week=Decimal(12))
    assert hours(small, "minimum_call") == 1
    assert any("bronnen verschillen" in n for n in small.notes)
    large = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), kind="min_max", hours_per_week=Decimal(15))
    assert lines(large, "minimum_call") == []


def test_small_fixed_contract_only_without_fixed_times():
    fixed = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), hours_per_week=Decimal(10))
    assert lines(fixed, "minimum_call") == []
    loose = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), hours_per_week=Decimal(10), fixed_times=False)
    assert hours(loose, "minimum_call") == 1


def test_unknown_weekly_hours_apply_the_three_hours_to_on_call_only():
    on_call = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), kind="on_call", hours_per_week=None)
    assert hours(on_call, "minimum_call") == 1
    min_max = pay("hoveniers", at(2026, 1, 6, 9), at(2026, 1, 6, 11), kind="min_max", hours_per_week=None)
    assert lines(min_max, "minimum_call") == [] and any("onbekend" in n for n in min_max.notes)


def test_schoonmaak_pays_at_least_one_hour_per_shift():
    result = pay("schoonmaak", at(2026, 1, 6, 9), at(2026, 1, 6, 9, 30))
    assert hours(result, "minimum_call") == Decimal("0.5")
    before = pay("schoonmaak", at(2024, 6, 25, 9), at(2024, 6, 25, 9, 30))
    assert lines(before, "minimum_call") == []


def test_wage_below_minimum_is_raised_with_a_note():
    adult = pay("hoveniers", at(2026, 1, 5, 9), at(2026, 1, 5, 13), hourly_wage=Decimal("10.00"))
    assert adult.base_rate == Decimal("14.71") and adult.minimum_wage_rate == Decimal("14.71")
    assert any("verhoogd" in n for n in adult.notes)
    young = pay("hoveniers", at(2026, 1, 5, 9), at(2026, 1, 5, 13), hourly_wage=Decimal("11.00"),
                birth_date=date(2005, 6, 1))
    assert young.base_rate == Decimal("11.77")
    fine = pay("hoveniers", at(2026, 1, 5, 9), at(2026, 1, 5, 13), hourly_wage=Decimal("12.00"),
               birth_date=date(2005, 6, 1))
    assert fine.base_rate == Decimal("12.00") and not any("verhoogd" in n for n in fine.notes)


def test_minimum_wage_rise_at_midnight_splits_the_base_line():
    result = pay("hoveniers", at(2025, 6, 30, 22), at(2025, 7, 1, 6), hourly_wage=Decimal("14.10"))
    base = {l.rate: l.hours for l in lines(result, "base")}
    assert base == {Decimal("14.10"): 2, Decimal("14.40"): 6}


def test_birthday_at_midnight_raises_the_minimum():
    turns_21 = date(2005, 1, 6)
    result = pay("hoveniers", at(2026, 1, 5, 22), at(2026, 1, 6, 6), hourly_wage=Decimal("12.00"), birth_date=turns_21)
    base = {l.rate: l.hours for l in lines(result, "base")}
    assert base == {Decimal("12.00"): 2, Decimal("14.71"): 6}


def test_amounts_are_hours_times_rate_and_add_up():
    result = pay("schoonmaak", at(2026, 1, 9, 20), at(2026, 1, 10, 3, 20), 25)
    assert len(result.lines) >= 3
    for line in result.lines:
        assert line.amount == (line.hours * line.rate).quantize(CENT, ROUND_HALF_UP)
    assert result.total == sum(l.amount for l in result.lines)
    assert result.holiday_allowance == (result.total * Decimal("0.08")).quantize(CENT, ROUND_HALF_UP)


def test_to_dict_has_the_api_shape_with_money_strings():
    data = pay("hoveniers", at(2026, 1, 11, 9), at(2026, 1, 11, 13)).to_dict()
    assert {"lines", "total", "minimum_wage_rate", "notes"} <= set(data)
    assert set(data["lines"][0]) == {"kind", "description", "hours", "rate", "amount"}
    for line in data["lines"]:
        for key in ("hours", "rate", "amount"):
            assert isinstance(line[key], str) and line[key].split(".")[1].__len__() == 2
    assert data["total"] == f"{Decimal(data['lines'][0]['amount']) + Decimal(data['lines'][1]['amount']):.2f}"


def test_notes_tell_about_example_data_and_expired_cao():
    result = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 12))
    assert any("nawerking" in n for n in result.notes)
    assert any("voorbeeldbedrag" in n for n in result.notes)
    taxi = pay("taxi", at(2026, 1, 11, 8), at(2026, 1, 11, 12))
    assert lines(taxi, "surcharge")[0].description.endswith("(voorbeeld)")
    assert any("13 weken" in n for n in taxi.notes)


def test_long_shift_is_flagged():
    result = pay("recreatie", at(2026, 1, 6, 6), at(2026, 1, 6, 19), 45)       # 12.25 h of work
    assert any("12,25 uur werk is langer dan de grens van 12 uur" in n for n in result.notes)
    within = pay("recreatie", at(2026, 1, 6, 6), at(2026, 1, 6, 18, 30), 45)   # 11.75 h of work, as the ATW counts
    assert not any("langer dan de grens" in n for n in within.notes)


def test_cao_code_is_looked_up_on_the_start_day():
    result = preview_pay("schoonmaak", None, ADULT, "fixed", Decimal(30), at(2024, 6, 25, 9), at(2024, 6, 25, 9, 30), 0)
    assert result.cao_code == "schoonmaak" and lines(result, "minimum_call") == []
    assert result.minimum_wage_rate is None  # no WML row before 2025
    assert any("Geen minimumloontoets" in n for n in result.notes)


@pytest.mark.parametrize("change, message", [
    ({"contract_kind": "zzp"}, "contract_kind"),
    ({"start": datetime(2026, 1, 6, 9)}, "timezone-aware"),
    ({"end": at(2026, 1, 6, 8)}, "after start"),
    ({"break_minutes": 180}, "break_minutes"),
    ({"scale": "Z"}, "unknown scale"),
])
def test_bad_input_is_refused(change, message):
    args = dict(cao=catalogue().get("hoveniers", date(2026, 1, 6)), scale=None, birth_date=ADULT,
                contract_kind="fixed", hours_per_week=Decimal(32), start=at(2026, 1, 6, 9),
                end=at(2026, 1, 6, 12), break_minutes=0)
    args.update(change)
    with pytest.raises((ValueError, KeyError), match=message):
        preview_pay(**args)


def test_short_break_is_noted_on_both_sides_of_five_and_a_half_hours():
    enough = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 14), 30)       # 5.5 h worked
    assert not any("Pauze" in n for n in enough.notes)
    short = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 14), 15)        # 5.75 h worked
    assert any("Pauze van 15 minuten" in n and "30 minuten" in n for n in short.notes)
    long = pay("hoveniers", at(2026, 1, 6, 7), at(2026, 1, 6, 18, 30), 30)     # 11 h worked
    assert any("45 minuten" in n for n in long.notes)


def _within(seconds: int):
    """Fail instead of hanging: the pay engine once looped forever on some times."""
    import signal

    def stop(*_):
        raise TimeoutError(f"no pay after {seconds} s")
    signal.signal(signal.SIGALRM, stop)
    signal.alarm(seconds)


@pytest.mark.parametrize("start, end, brk, before", [
    ((5, 10), (15, 15), 30, Decimal(0)),      # 9 h 35 min: the day counter once stopped a hair short of 9.5 h
    ((6, 0), (16, 25), 45, Decimal(0)),
    ((7, 5), (12, 0), 0, Decimal("4.9999999999")),
])
def test_overtime_is_found_for_times_that_are_no_whole_fraction_of_an_hour(start, end, brk, before):
    _within(10)
    try:
        result = pay("hoveniers", at(2026, 11, 3, *start), at(2026, 11, 3, *end), brk, worked_before_on_day=before)
    finally:
        import signal
        signal.alarm(0)
    worked = (at(2026, 11, 3, *end) - at(2026, 11, 3, *start)).total_seconds() / 3600 - brk / 60
    overtime = sum((l.hours for l in lines(result, "overtime")), Decimal(0))
    expected = Decimal(str(worked)) + before - Decimal("9.5")
    assert overtime >= expected > 0 and overtime - expected < Decimal("0.01")   # up to 0.01 h, rounded up


def test_recreatie_night_surcharge_with_exactly_five_hours_in_the_window():
    """20:10-03:20 with a 20 min break centred at 23:45: 22:00-23:35 and 23:55-03:20 are 5 h of work."""
    result = pay("recreatie", at(2026, 11, 3, 20, 10), at(2026, 11, 4, 3, 20), 20)
    (night,) = lines(result, "surcharge")
    assert night.hours == Decimal("5.00") and "Nacht" in night.description


def test_a_surcharge_rate_is_rounded_up_to_the_cent():
    """30 % overtime on 15.41 is 4.623 an hour: paid as 4.63, never less than the CAO's share."""
    result = pay("hoveniers", at(2026, 11, 3, 6), at(2026, 11, 3, 17), 30, hourly_wage=Decimal("15.41"))
    (base,) = lines(result, "base")
    (overtime,) = lines(result, "overtime")
    assert base.rate == Decimal("15.41") and overtime.rate == Decimal("4.63") and overtime.hours == Decimal("1.00")


def test_lines_and_notes_in_english_on_request():
    """The same shift in both languages: the words and the number format follow `lang`."""
    start, end = at(2026, 1, 10, 10), at(2026, 1, 10, 23)   # a Saturday, 13 h without a break
    dutch = pay("schoonmaak", start, end, 15, kind="min_max", hours_per_week=Decimal(10))
    english = pay("schoonmaak", start, end, 15, kind="min_max", hours_per_week=Decimal(10), lang="en")
    assert [line.amount for line in english.lines] == [line.amount for line in dutch.lines]
    assert dutch.lines[0].description == "Basisuren" and english.lines[0].description == "Base hours"
    saturday = [line.description for line in lines(english, "surcharge")]
    assert saturday and saturday[0].startswith("Saturday +50 %")
    assert any("12,75 uur werk is langer dan de grens van 12 uur" in n for n in dutch.notes)
    assert any("12.75 h of work is longer than the limit of 12 h" in n for n in english.notes)
    assert any(n.startswith("Min-max contract under 15 hours a week") for n in english.notes)
    assert not any("uur" in n or "Pauze" in n for n in english.notes)


def test_a_wage_below_the_minimum_is_named_in_euros_in_the_readers_format():
    low = {"hourly_wage": Decimal("9.5")}
    dutch = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 12), **low)
    english = pay("hoveniers", at(2026, 1, 6, 8), at(2026, 1, 6, 12), lang="en", **low)
    assert any(n.startswith("Uurloon € 9,50 ligt onder het wettelijk minimumloon voor 35 jaar op 6 jan 2026 "
                            "(€ 14,71") for n in dutch.notes)
    assert any(n.startswith("Hourly wage €9.50 is below the statutory minimum wage at age 35 on 6 Jan 2026 "
                            "(€14.71") for n in english.notes)

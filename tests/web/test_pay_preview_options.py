"""POST /pay/preview and `banenpool pay-preview` take what the pay engine knows beyond the shift:
a BBL apprentice's minimum wage, shifts outside fixed working times (the 3 hours per call) and
hours already worked that day."""
from click.testing import CliRunner

from banenpool.cli import main

# a 19-year-old on 2025-09-02 (a Tuesday): WML 8.64 an hour, BBL 7.56 (nl-facts, 1-7-2025)
SHIFT = {"cao_code": "schoonmaak", "birth_date": "2006-01-01",
         "start": "2025-09-02T09:00:00+02:00", "end": "2025-09-02T11:00:00+02:00"}


def _preview(client, pool, **extra):
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={**SHIFT, **extra})
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_bbl_apprentice_gets_the_bbl_minimum_wage(client, pool):
    assert _preview(client, pool)["minimum_wage_rate"] == "8.64"
    assert _preview(client, pool, bbl=True)["minimum_wage_rate"] == "7.56"


def test_small_contract_outside_fixed_times_is_paid_three_hours_per_call(client, pool):
    inside = _preview(client, pool, contract_kind="fixed", hours_per_week="10")
    assert [line["kind"] for line in inside["lines"]] == ["base"]
    outside = _preview(client, pool, contract_kind="fixed", hours_per_week="10", fixed_times=False)
    [call] = [line for line in outside["lines"] if line["kind"] == "minimum_call"]
    assert call["hours"] == "1.00"
    big = _preview(client, pool, contract_kind="fixed", hours_per_week="20", fixed_times=False)
    assert not [line for line in big["lines"] if line["kind"] == "minimum_call"]


def test_a_bad_flag_is_422_naming_it(client, pool):
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"),
                    json={**SHIFT, "bbl": "sometimes", "worked_before_on_day": "-1"})
    assert r.status_code == 422
    assert {"bbl", "worked_before_on_day"} <= set(r.get_json()["errors"]["json"])


def test_cli_takes_bbl_and_fixed_times():
    args = ["pay-preview", "--cao", "schoonmaak", "--birth-date", SHIFT["birth_date"],
            "--start", SHIFT["start"], "--end", SHIFT["end"], "--contract-kind", "fixed",
            "--hours-per-week", "10", "--json"]
    plain = CliRunner().invoke(main, args)
    both = CliRunner().invoke(main, [*args, "--bbl", "--no-fixed-times"])
    assert plain.exit_code == 0 and both.exit_code == 0, both.output
    assert '"minimum_wage_rate": "8.64"' in plain.output and '"minimum_call"' not in plain.output
    assert '"minimum_wage_rate": "7.56"' in both.output and '"minimum_call"' in both.output


def test_pay_preview_in_dutch_and_english(client, pool):
    saturday = {"hourly_wage": "8.00", "start": "2025-09-06T09:00:00+02:00", "end": "2025-09-06T11:00:00+02:00"}
    dutch = _preview(client, pool, **saturday)
    english = _preview(client, pool, lang="en", **saturday)
    assert [line["amount"] for line in english["lines"]] == [line["amount"] for line in dutch["lines"]]
    assert [line["description"] for line in dutch["lines"]][:2] == ["Basisuren", "Zaterdag +50 %"]
    assert [line["description"] for line in english["lines"]][:2] == ["Base hours", "Saturday +50 %"]
    assert any(n.startswith("Uurloon € 8,00 ligt onder het wettelijk minimumloon voor 19 jaar op 6 sep 2025 "
                            "(€ 8,64") for n in dutch["notes"])
    assert any(n.startswith("Hourly wage €8.00 is below the statutory minimum wage at age 19 on 6 Sep 2025 "
                            "(€8.64") for n in english["notes"])
    r = client.post("/api/v1/pay/preview", headers=pool.headers("intermediary"), json={**SHIFT, "lang": "de"})
    assert r.status_code == 422 and "lang" in r.get_json()["errors"]["json"]


def test_cli_speaks_english_on_request():
    args = ["pay-preview", "--cao", "schoonmaak", "--birth-date", SHIFT["birth_date"],
            "--start", SHIFT["start"], "--end", SHIFT["end"], "--lang", "en"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Base hours" in result.output and "total" in result.output and "Basisuren" not in result.output

from datetime import datetime


def _request(client, pool, who="intermediary", **overrides):
    body = {"employer_id": pool.employer_a, "title": "Voorjaarspiek", "skills": ["groen"],
            "start_date": "2026-03-23", "end_date": "2026-04-05",
            "pattern": [{"weekday": d, "start": "07:00", "end": "15:30", "break_minutes": 30, "headcount": 2}
                        for d in range(7)]}
    body.update(overrides)
    return client.post("/api/v1/capacity-requests", headers=pool.headers(who), json=body)


def _shifts(client, pool, who="intermediary", **params):
    return client.get("/api/v1/shifts", headers=pool.headers(who), query_string=params).get_json()


def test_day_shift_keeps_local_times_across_dst(client, pool):
    r = _request(client, pool)
    assert r.status_code == 201, r.get_json()
    assert r.get_json()["shift_count"] == 14
    shifts = _shifts(client, pool, **{"from": "2026-03-28", "to": "2026-03-30"})
    assert [s["start"] for s in shifts] == ["2026-03-28T07:00:00+01:00", "2026-03-29T07:00:00+02:00",
                                            "2026-03-30T07:00:00+02:00"]
    assert all(s["end"][11:16] == "15:30" and s["paid_hours"] == "8.00" for s in shifts)


def test_night_shift_over_dst_lasts_7_or_9_hours(client, pool):
    night = [{"weekday": 5, "start": "22:00", "end": "06:00", "break_minutes": 0, "headcount": 1}]
    assert _request(client, pool, start_date="2026-03-28", end_date="2026-03-28", pattern=night).status_code == 201
    assert _request(client, pool, start_date="2026-10-24", end_date="2026-10-24", pattern=night).status_code == 201
    assert _request(client, pool, start_date="2026-06-06", end_date="2026-06-06", pattern=night).status_code == 201
    shifts = _shifts(client, pool)
    hours = {s["start"][:10]: s["paid_hours"] for s in shifts}
    assert hours == {"2026-03-28": "7.00", "2026-10-24": "9.00", "2026-06-06": "8.00"}
    spring = next(s for s in shifts if s["start"].startswith("2026-03-28"))
    elapsed = datetime.fromisoformat(spring["end"]) - datetime.fromisoformat(spring["start"])
    assert elapsed.total_seconds() == 7 * 3600 and spring["end"] == "2026-03-29T06:00:00+02:00"


def test_public_holidays_are_flagged_by_dutch_name(client, pool):
    r = _request(client, pool, start_date="2026-04-03", end_date="2026-05-06")
    assert r.status_code == 201
    named = {s["start"][:10]: s["public_holiday"] for s in _shifts(client, pool) if s["public_holiday"]}
    assert named == {"2026-04-03": "Goede vrijdag", "2026-04-05": "Eerste paasdag", "2026-04-06": "Tweede paasdag",
                     "2026-04-27": "Koningsdag", "2026-05-05": "Bevrijdingsdag"}


def test_invalid_patterns_are_422_naming_the_field(client, pool):
    def errors(**overrides):
        r = _request(client, pool, **overrides)
        assert r.status_code == 422, r.get_json()
        return r.get_json()["errors"]["json"]

    line = {"weekday": 0, "start": "07:00", "end": "15:30", "break_minutes": 30, "headcount": 1}
    assert "end" in errors(pattern=[{**line, "end": "06:00", "crosses_midnight": False}])["pattern"]["0"]
    assert "12 hours" in str(errors(pattern=[{**line, "start": "06:00", "end": "19:00"}]))
    assert "12 hours" in str(errors(pattern=[{**line, "start": "16:00", "end": "05:00"}]))
    assert "break_minutes" in errors(pattern=[{**line, "start": "07:00", "end": "09:00", "break_minutes": 120}])["pattern"]["0"]
    assert "end_date" in errors(start_date="2026-04-05", end_date="2026-03-23")
    assert "skills" in errors(skills=["Heftruck rijden"])
    assert "headcount" in errors(pattern=[{**line, "headcount": 0}])["pattern"]["0"]
    assert "scale" in errors(scale="Z99")


def test_scale_defaults_to_lowest_of_cao(client, pool):
    r = _request(client, pool, start_date="2026-03-23", end_date="2026-03-23")
    assert r.get_json()["scale"]
    assert _shifts(client, pool)[0]["scale"] == r.get_json()["scale"]


def test_employer_requests_only_for_itself_and_sees_only_own(client, pool):
    assert _request(client, pool, who="employer_a", start_date="2026-03-23", end_date="2026-03-23").status_code == 201
    r = _request(client, pool, who="employer_a", employer_id=pool.employer_b)
    assert r.status_code == 422 and "employer_id" in r.get_json()["errors"]["json"]
    assert _request(client, pool, who="worker_x").status_code == 403
    assert len(client.get("/api/v1/capacity-requests", headers=pool.headers("employer_a")).get_json()) == 1
    assert client.get("/api/v1/capacity-requests", headers=pool.headers("employer_b")).get_json() == []
    assert _shifts(client, pool, who="employer_b") == []
    assert len(_shifts(client, pool, who="employer_a")) == 1


def test_delete_request_removes_its_shifts(client, pool):
    rid = _request(client, pool).get_json()["id"]
    assert client.delete(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("employer_b")).status_code == 404
    assert client.delete(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("employer_a")).status_code == 204
    assert _shifts(client, pool) == []
    assert client.get(f"/api/v1/capacity-requests/{rid}", headers=pool.headers("intermediary")).status_code == 404


def test_a_line_said_to_cross_midnight_that_does_not_is_422(client, pool):
    """crosses_midnight: false refuses an end at or before the start; true with a day shift's times made
    07:00–15:30 day shifts without a word, though the employer said the line runs into the next day."""
    line = {"weekday": 0, "start": "07:00", "end": "15:30", "break_minutes": 30, "headcount": 1,
            "crosses_midnight": True}
    r = _request(client, pool, pattern=[line])
    assert r.status_code == 422, r.get_json()
    assert "end" in r.get_json()["errors"]["json"]["pattern"]["0"]
    assert _request(client, pool, pattern=[{**line, "start": "22:00", "end": "06:00"}]).status_code == 201

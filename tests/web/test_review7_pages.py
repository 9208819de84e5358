"""A new user's first hour: the pages' wording, formats and address forms in Dutch and English."""
from tests.web.pages_data import login


def test_the_workers_schedule_names_the_year_of_both_ends_when_it_spans_new_year(client, pool):
    login(client, "worker_x")
    body = client.get("/me?from=2026-12-28").get_data(as_text=True)
    assert "28 dec 2026 – 24 jan 2027" in body
    body = client.get("/me?from=2026-03-02").get_data(as_text=True)
    assert "2 mrt – 29 mrt 2026" in body

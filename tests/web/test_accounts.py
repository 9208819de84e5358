"""Logins from the web interface: the pool invites a worker or an employer with a link to choose a
password (once, for 7 days), and every user changes their own password."""
import re

import pytest
from sqlalchemy import func, select

from banenpool.models import User
from banenpool.principal import SYSTEM
from banenpool.services import registry
from tests.conftest import PASSWORD, worker_data
from tests.web.pages_data import csrf_token, login

LINK = re.compile(r'<code class="link" id="invite-link">(http://[^<]+)</code>')


def _invite_new_worker(client, pool, session) -> tuple[int, str]:
    worker = registry.create_worker(session, SYSTEM, worker_data(name="Mila de Vries", email="Mila@Example.org"))
    session.commit()
    login(client, "intermediary")
    page = client.get(f"/workers/{worker.id}").get_data(as_text=True)
    assert "Nog geen inlog." in page
    r = client.post(f"/workers/{worker.id}/logins", data={"csrf_token": csrf_token(page)})
    assert r.status_code == 302 and "/logins/" in r.headers["Location"]
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "mila@example.org" in page
    return worker.id, LINK.search(page).group(1).replace("http://localhost", "")


def _choose(client, link, password, repeat=None):
    page = client.get(link)
    assert page.status_code == 200
    return client.post(link, data={"password": password, "repeat": repeat or password,
                                   "csrf_token": csrf_token(page.get_data(as_text=True))})


def test_an_invited_worker_chooses_a_password_once_and_logs_in(app, client, pool, session):
    worker_id, link = _invite_new_worker(client, pool, session)
    user = session.scalar(select(User).where(User.worker_id == worker_id))
    assert user.role == "worker" and user.email == "mila@example.org"
    anonymous = app.test_client()
    assert "mila@example.org" not in anonymous.get("/login").get_data(as_text=True)

    r = _choose(anonymous, link, "kort")                     # too short: refused, nothing set
    assert r.status_code == 200 and "Veld moet minstens 8 karakters lang zijn." in r.get_data(as_text=True)
    r = _choose(anonymous, link, "lang-genoeg-1", "lang-genoeg-2")
    assert r.status_code == 200 and "De twee wachtwoorden verschillen." in r.get_data(as_text=True)
    r = _choose(anonymous, link, "lang-genoeg-1")
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")
    page = anonymous.get("/login").get_data(as_text=True)
    assert "Het wachtwoord is ingesteld. Log in met mila@example.org." in page
    r = anonymous.post("/login", data={"email": "mila@example.org", "password": "lang-genoeg-1",
                                       "csrf_token": csrf_token(page)})
    assert r.status_code == 302 and r.headers["Location"].endswith("/me")

    other = app.test_client()                                  # the link works once
    r = _choose(other, link, "iemand-anders")
    assert "deze link is al gebruikt" in r.get_data(as_text=True)
    assert other.post("/login", data={"email": "mila@example.org", "password": "iemand-anders",
                                      "csrf_token": csrf_token(other.get("/login").get_data(as_text=True))}
                      ).status_code == 200          # not logged in: the form again


def test_a_tampered_link_is_refused(app, client, pool, session):
    _, link = _invite_new_worker(client, pool, session)
    r = app.test_client().get(link[:-3] + "xyz")
    assert r.status_code == 404 and "Deze link is niet geldig" in r.get_data(as_text=True)


def test_an_employer_gets_a_login_and_an_address_in_use_is_refused(client, pool, session):
    login(client, "intermediary")
    page = client.get(f"/employers/{pool.employer_b}").get_data(as_text=True)
    r = client.post(f"/employers/{pool.employer_b}/logins",
                    data={"email": "planning@glans.example", "csrf_token": csrf_token(page)})
    assert r.status_code == 302
    assert "planning@glans.example" in client.get(r.headers["Location"]).get_data(as_text=True)
    r = client.post(f"/employers/{pool.employer_b}/logins",
                    data={"email": "worker_y@test.example", "csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "Niet uitgenodigd: dit e-mailadres is al in gebruik" in r.get_data(as_text=True)
    emails = session.scalars(select(User.email).where(User.employer_id == pool.employer_b)).all()
    assert sorted(emails) == ["employer_b@test.example", "planning@glans.example"]


def test_a_user_changes_their_password_and_their_api_tokens_stop(client, pool, session):
    assert client.get("/api/v1/workers/%d" % pool.worker_x, headers=pool.headers("worker_x")).status_code == 200
    login(client, "worker_x")
    page = client.get("/account/password").get_data(as_text=True)
    r = client.post("/account/password", data={"current": "fout", "password": "nieuw-wachtwoord",
                                               "repeat": "nieuw-wachtwoord", "csrf_token": csrf_token(page)})
    assert "is niet het huidige wachtwoord" in r.get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "password": "nieuw-wachtwoord",
                                               "repeat": "nieuw-wachtwoord", "csrf_token": csrf_token(page)})
    assert r.status_code == 302
    assert client.get("/api/v1/workers/%d" % pool.worker_x, headers=pool.headers("worker_x")).status_code == 401
    client.post("/logout", data={"csrf_token": csrf_token(client.get("/me").get_data(as_text=True))})
    page = client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"email": "worker_x@test.example", "password": "nieuw-wachtwoord",
                                    "csrf_token": csrf_token(page)})
    assert r.status_code == 302


@pytest.mark.parametrize("role", ["employer_a", "worker_x"])
def test_only_the_pool_makes_logins(client, pool, session, role):
    user_id = session.scalar(select(User.id).where(User.email == "worker_y@test.example"))
    login(client, role)
    token = csrf_token(client.get("/account/password").get_data(as_text=True))
    assert client.get(f"/logins/{user_id}/link").status_code == 403
    assert client.post(f"/logins/{user_id}/block", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/workers/{pool.worker_y}/logins", data={"csrf_token": token}).status_code == 403
    assert client.post(f"/employers/{pool.employer_a}/logins",
                       data={"email": "x@example.org", "csrf_token": token}).status_code == 403
    assert session.scalar(select(User).where(User.email == "x@example.org")) is None
    assert session.get(User, user_id).active


def test_the_pool_blocks_a_login_and_allows_it_again(app, client, pool, session):
    user_id = session.scalar(select(User.id).where(User.email == "worker_y@test.example"))
    worker_y = app.test_client()
    login(worker_y, "worker_y")
    assert worker_y.get("/me").status_code == 200
    login(client, "intermediary")
    page = client.get(f"/workers/{pool.worker_y}").get_data(as_text=True)
    assert f"/logins/{user_id}/block" in page
    r = client.post(f"/logins/{user_id}/block", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "worker_y@test.example is geblokkeerd" in r.get_data(as_text=True)
    assert worker_y.get("/me").status_code == 302                    # its page session ended
    assert client.get(f"/api/v1/workers/{pool.worker_y}", headers=pool.headers("worker_y")).status_code == 401
    form = {"email": "worker_y@test.example", "password": PASSWORD}
    fresh = app.test_client()
    assert fresh.post("/login", data={**form, "csrf_token": csrf_token(fresh.get("/login").get_data(as_text=True))}
                      ).status_code == 200                              # refused: the form again
    page = client.get(f"/workers/{pool.worker_y}").get_data(as_text=True)
    assert "geblokkeerd" in page
    client.post(f"/logins/{user_id}/unblock", data={"csrf_token": csrf_token(page)})
    assert fresh.post("/login", data={**form, "csrf_token": csrf_token(fresh.get("/login").get_data(as_text=True))}
                      ).status_code == 302
    # the tokens stay revoked: a new one is needed
    assert client.get(f"/api/v1/workers/{pool.worker_y}", headers=pool.headers("worker_y")).status_code == 401


def test_a_new_password_ends_the_other_sessions_but_not_this_one(app, client, pool):
    other = app.test_client()
    login(other, "worker_x")
    login(client, "worker_x")
    page = client.get("/account/password").get_data(as_text=True)
    r = client.post("/account/password", data={"current": PASSWORD, "password": "nieuw-wachtwoord",
                                               "repeat": "nieuw-wachtwoord", "csrf_token": csrf_token(page)})
    assert r.status_code == 302
    assert client.get("/me").status_code == 200          # this session goes on
    assert other.get("/me").status_code == 302           # the other is sent to the login page


def test_an_invitation_needs_a_real_address_and_one_login_per_worker(client, pool, session):
    login(client, "intermediary")
    page = client.get(f"/employers/{pool.employer_b}").get_data(as_text=True)
    for bad in ("not an email", "a@b", "<b>@x.nl"):
        r = client.post(f"/employers/{pool.employer_b}/logins", data={"email": bad, "csrf_token": csrf_token(page)},
                        follow_redirects=True)
        assert "Niet uitgenodigd: E-mailadres: Geen geldig e-mailadres." in r.get_data(as_text=True), bad
    r = client.post(f"/workers/{pool.worker_x}/logins", data={"csrf_token": csrf_token(page)}, follow_redirects=True)
    assert "deze medewerker heeft al een inlog" in r.get_data(as_text=True)
    assert session.scalar(select(func.count(User.id))) == 5        # the fixture's five logins, no more


def test_a_link_of_a_blocked_login_says_so(app, client, pool, session):
    user_id = session.scalar(select(User.id).where(User.email == "worker_y@test.example"))
    login(client, "intermediary")
    link = LINK.search(client.get(f"/logins/{user_id}/link").get_data(as_text=True)).group(1)
    link = link.replace("http://localhost", "")
    page = client.get(f"/workers/{pool.worker_y}").get_data(as_text=True)
    client.post(f"/logins/{user_id}/block", data={"csrf_token": csrf_token(page)})
    r = _choose(app.test_client(), link, "lang-genoeg-1")
    assert "Deze inlog bestaat niet meer of is geblokkeerd; vraag het de pool." in r.get_data(as_text=True)


def test_the_api_lists_blocks_and_links_logins(app, client, pool, session):
    h = pool.headers("intermediary")
    listed = client.get(f"/api/v1/users?worker_id={pool.worker_y}", headers=h).get_json()
    assert [(u["email"], u["active"]) for u in listed] == [("worker_y@test.example", True)]
    user_id = listed[0]["id"]
    assert len(client.get("/api/v1/users", headers=h).get_json()) == 5
    r = client.post(f"/api/v1/users/{user_id}/password-link", headers=h)
    assert r.status_code == 200 and r.get_json()["valid_days"] == 7
    link = r.get_json()["url"].replace("http://localhost", "")
    assert _choose(app.test_client(), link, "via-de-api-1").status_code == 302
    assert client.post("/api/v1/auth/token", json={"email": "worker_y@test.example",
                                                   "password": "via-de-api-1"}).status_code == 200
    r = client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": False})
    assert r.status_code == 200 and r.get_json()["active"] is False
    assert client.post("/api/v1/auth/token", json={"email": "worker_y@test.example",
                                                   "password": "via-de-api-1"}).status_code == 401
    pool_login = session.scalar(select(User.id).where(User.role == "intermediary"))
    assert client.post(f"/api/v1/users/{pool_login}/password-link", headers=h).status_code == 404
    for who in ("employer_a", "worker_x"):
        assert client.get("/api/v1/users", headers=pool.headers(who)).status_code == 403
        assert client.patch(f"/api/v1/users/{user_id}", headers=pool.headers(who), json={"active": True}).status_code == 403
        assert client.post(f"/api/v1/users/{user_id}/password-link", headers=pool.headers(who)).status_code == 403


def test_a_page_session_from_before_a_block_stays_ended_when_the_login_is_allowed_again(app, client, pool, session):
    """Blocking ended the worker's browser session at its next request, but allowing the login again
    brought that old session back to life (its cookie named the login by the password alone)."""
    h = pool.headers("intermediary")
    user_id = client.get(f"/api/v1/users?worker_id={pool.worker_x}", headers=h).get_json()[0]["id"]
    browser = app.test_client()
    login(browser, "worker_x")
    assert browser.get("/me").status_code == 200
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": False}).status_code == 200
    assert browser.get("/me").status_code == 302                      # ended at once
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": True}).status_code == 200
    assert browser.get("/me").status_code == 302                      # and it stays ended
    login(browser, "worker_x")                                        # a new log-in works again
    assert browser.get("/me").status_code == 200
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": True}).status_code == 200
    assert browser.get("/me").status_code == 200                      # allowing an allowed login ends nothing


def test_blocking_an_employer_login_gives_the_employers_shift_calendar_a_new_address(app, client, pool):
    """The employer's feed lists who comes to its shifts; someone whose login was blocked kept its
    address and read on. Blocking a worker's login leaves that worker's own calendar as it was."""
    h = pool.headers("intermediary")
    old = client.get(f"/api/v1/employers/{pool.employer_a}/calendar", headers=h).get_json()["url"]
    mine = client.get(f"/api/v1/workers/{pool.worker_x}/calendar", headers=h).get_json()["url"]
    user_id = client.get(f"/api/v1/users?employer_id={pool.employer_a}", headers=h).get_json()[0]["id"]
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": False}).status_code == 200
    assert client.get(old.removeprefix("http://localhost")).status_code == 404
    new = client.get(f"/api/v1/employers/{pool.employer_a}/calendar", headers=h).get_json()["url"]
    assert new != old and client.get(new.removeprefix("http://localhost")).status_code == 200
    worker_login = client.get(f"/api/v1/users?worker_id={pool.worker_x}", headers=h).get_json()[0]["id"]
    assert client.patch(f"/api/v1/users/{worker_login}", headers=h, json={"active": False}).status_code == 200
    assert client.get(mine.removeprefix("http://localhost")).status_code == 200


def test_no_password_link_is_made_for_a_blocked_login(client, pool):
    """A link made for a blocked login failed when its owner opened it; it is refused when asked for."""
    h = pool.headers("intermediary")
    user_id = client.get(f"/api/v1/users?worker_id={pool.worker_y}", headers=h).get_json()[0]["id"]
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": False}).status_code == 200
    r = client.post(f"/api/v1/users/{user_id}/password-link", headers=h)
    assert r.status_code == 409 and r.get_json()["rules"] == ["login_blocked"]
    login(client, "intermediary")
    page = client.get(f"/logins/{user_id}/link", follow_redirects=True).get_data(as_text=True)
    assert "Deze inlog is geblokkeerd" in page and f"/logins/{user_id}/link" not in page   # no link offered
    assert client.patch(f"/api/v1/users/{user_id}", headers=h, json={"active": True}).status_code == 200
    assert client.post(f"/api/v1/users/{user_id}/password-link", headers=h).status_code == 200

from tests.conftest import PASSWORD
from tests.web.pages_data import csrf_token


def test_token_for_right_credentials_and_401_for_wrong(client, pool):
    ok = client.post("/api/v1/auth/token", json={"email": "employer_a@test.example", "password": PASSWORD})
    assert ok.status_code == 200
    body = ok.get_json()
    assert body["role"] == "employer" and body["employer_id"] == pool.employer_a and body["worker_id"] is None
    me = client.get(f"/api/v1/employers/{pool.employer_a}", headers={"Authorization": f"Bearer {body['token']}"})
    assert me.status_code == 200

    wrong = client.post("/api/v1/auth/token", json={"email": "employer_a@test.example", "password": "nope-nope"})
    assert wrong.status_code == 401
    assert wrong.get_json()["code"] == 401


def test_missing_or_garbage_token_is_401(client, pool):
    """With the Bearer challenge RFC 6750 asks for, so a client library knows how to authenticate."""
    missing = client.get("/api/v1/employers")
    assert missing.status_code == 401 and missing.headers["WWW-Authenticate"] == 'Bearer realm="banenpool"'
    bad = client.get("/api/v1/employers", headers={"Authorization": "Bearer not-a-token"})
    assert bad.status_code == 401 and "token" in bad.get_json()["message"]
    assert bad.headers["WWW-Authenticate"] == 'Bearer realm="banenpool", error="invalid_token"'


def test_malformed_json_is_400(client, pool):
    r = client.post("/api/v1/employers", data="{not json", content_type="application/json",
                    headers=pool.headers("intermediary"))
    assert r.status_code == 400


def test_intermediary_creates_worker_login_and_it_works(client, pool):
    r = client.post("/api/v1/users", headers=pool.headers("intermediary"),
                    json={"email": "new@test.example", "password": "long-enough-pw", "role": "worker",
                          "worker_id": pool.worker_y})
    assert r.status_code == 201, r.get_json()
    token = client.post("/api/v1/auth/token", json={"email": "new@test.example", "password": "long-enough-pw"})
    assert token.get_json()["worker_id"] == pool.worker_y


def test_user_creation_validates_role_links(client, pool):
    r = client.post("/api/v1/users", headers=pool.headers("intermediary"),
                    json={"email": "e@test.example", "password": "long-enough-pw", "role": "employer"})
    assert r.status_code == 422
    assert "employer_id" in r.get_json()["errors"]["json"]
    dup = client.post("/api/v1/users", headers=pool.headers("intermediary"),
                      json={"email": "worker_x@test.example", "password": "long-enough-pw", "role": "intermediary"})
    assert dup.status_code == 409


def test_only_intermediary_creates_users(client, pool):
    for who in ("employer_a", "worker_x"):
        r = client.post("/api/v1/users", headers=pool.headers(who),
                        json={"email": "x@test.example", "password": "long-enough-pw", "role": "intermediary"})
        assert r.status_code == 403


def test_openapi_and_offline_docs(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/api/v1/capacity-requests" in spec["paths"]
    assert "/api/v1/workers/{worker_id}/availability" in spec["paths"]
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200 and b"swagger" in docs.data.lower()
    asset = client.get("/api/v1/docs/swagger-ui-bundle.js")
    assert asset.status_code == 200  # served locally, no CDN


def test_start_page_is_dutch_and_links_docs(client):
    page = client.get("/")
    assert page.status_code == 200
    assert b'lang="nl"' in page.data and b"/api/v1/docs" in page.data


def test_password_guessing_is_slowed_down_after_ten_failures(client, pool, session):
    """Ten wrong passwords for one address within 15 minutes: the next attempts are refused unheard
    (429 with Retry-After), the right password too, while another address is not affected; once the
    failures are 15 minutes old the right password works again and clears the count."""
    from datetime import timedelta

    from banenpool.models import LoginFailure
    from banenpool.services.auth import FAILURE_WINDOW
    wrong = {"email": "worker_x@test.example", "password": "not-the-one"}
    for _ in range(10):
        assert client.post("/api/v1/auth/token", json=wrong).status_code == 401
    r = client.post("/api/v1/auth/token", json={**wrong, "password": PASSWORD})
    assert r.status_code == 429 and r.get_json()["code"] == 429
    assert 0 < int(r.headers["Retry-After"]) <= 15 * 60 + 1 and "try again in 15 min" in r.get_json()["message"]
    assert client.post("/api/v1/auth/token", json={"email": "WORKER_X@test.example ", "password": PASSWORD}
                       ).status_code == 429                  # the same address, however it is typed
    assert client.post("/api/v1/auth/token", json={"email": "worker_y@test.example", "password": PASSWORD}
                       ).status_code == 200                  # another address
    page = client.get("/login").get_data(as_text=True)
    r = client.post("/login", data={"csrf_token": csrf_token(page), "email": "worker_x@test.example",
                                    "password": PASSWORD})
    assert r.status_code == 429 and "Te veel mislukte aanmeldingen" in r.get_data(as_text=True)
    for failure in session.query(LoginFailure).all():        # a quarter of an hour later
        failure.at -= FAILURE_WINDOW + timedelta(seconds=1)
    session.commit()
    assert client.post("/api/v1/auth/token", json={**wrong, "password": PASSWORD}).status_code == 200
    assert session.query(LoginFailure).count() == 0            # cleared by the log-in that worked

from tests.web.pages_data import csrf_token, login
from tests.conftest import PASSWORD

def test_probe(client, pool):
    for nxt in ["///evil.example/", "/%5C%5Cevil.example", "/%09/evil.example", "////evil.example", "/\\/evil.example"]:
        lp = client.get("/login").get_data(as_text=True)
        r = client.post(f"/login?next={nxt}", data={"email": "intermediary@test.example", "password": PASSWORD, "csrf_token": csrf_token(lp)})
        print(repr(nxt), r.status_code, repr(r.headers.get("Location")))
        client.post("/logout", data={"csrf_token": csrf_token(client.get("/dashboard").get_data(as_text=True))})
    assert 0

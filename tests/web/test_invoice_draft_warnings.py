"""A draft whose hours a change of the employer's CAO has put under two VAT schemes says so, with the
day to split at, in its JSON and on its page, before finalising is refused."""
from datetime import timedelta

from tests.banenpool.test_billing import MONDAY, work
from tests.web.pages_data import login
from tests.web.test_cao_change_money import HOVENIERS_TO_ZOETWAREN, MARCH, _draft, _move_a


def _review(client, pool, invoice_id):
    r = client.get(f"/api/v1/invoices/{invoice_id}", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["review"]


def test_a_draft_over_a_change_of_vat_scheme_warns_before_it_is_finalised(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)                       # 9 March
    work(client, pool, "employer_a", "worker_y", start=MONDAY + timedelta(days=14), session=session)  # 23 March
    draft = _draft(client, pool, MARCH)                # all hoveniers (btw verlegd) when it is made
    assert draft["review"]["warnings"] == [] and _review(client, pool, draft["id"])["warnings"] == []
    login(client, "intermediary")
    assert 'id="vat-split"' not in client.get(f"/invoices/{draft['id']}").get_data(as_text=True)

    _move_a(client, pool, HOVENIERS_TO_ZOETWAREN)      # zoetwaren (21 %) from 20 March
    assert _review(client, pool, draft["id"])["warnings"] == [{
        "code": "vat_scheme_mixed", "split_on": "2026-03-20", "first_ends_on": "2026-03-19",
        "message": "the employer's CAO changes on 2026-03-20, and with it the VAT (btw verlegd or 21 %); hours "
                   "before and from that day go on separate invoices: end the period on 2026-03-19"}]
    page = client.get(f"/invoices/{draft['id']}").get_data(as_text=True)
    assert 'id="vat-split"' in page
    assert "verandert op 20 mrt 2026" in page and "een concept tot en met 19 mrt 2026 en een vanaf 20 mrt 2026" in page
    # what the warning said is what finalising refuses
    r = client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["vat_scheme_mixed"]



def test_a_draft_whose_employer_lost_its_buyer_details_warns_before_it_is_finalised(client, pool, session):
    work(client, pool, "employer_a", "worker_x", start=MONDAY, session=session)
    draft = _draft(client, pool, MARCH)            # hoveniers: btw verlegd, so the VAT id is needed
    assert _review(client, pool, draft["id"])["warnings"] == []
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"vat_number": None, "address": None})
    assert r.status_code == 200, r.get_json()
    [warning] = _review(client, pool, draft["id"])["warnings"]
    assert warning["code"] == "buyer_incomplete" and warning["missing"] == ["vat_number", "address"]
    assert "VAT id" in warning["message"] and "street, postcode and city" in warning["message"]
    login(client, "intermediary")
    page = client.get(f"/invoices/{draft['id']}").get_data(as_text=True)
    assert 'id="buyer-incomplete"' in page and "het btw-id (btw verlegd); de straat, postcode en plaats" in page
    assert f'href="/employers/{pool.employer_a}"' in page
    # what the warning said is what finalising refuses; with the details back it goes through
    r = client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 409 and r.get_json()["rules"] == ["buyer_incomplete"]
    r = client.patch(f"/api/v1/employers/{pool.employer_a}", headers=pool.headers("intermediary"),
                     json={"vat_number": "NL612345014B01", "address": {
                         "street": "Hengelosestraat 1", "postcode": "7521 AH", "city": "Enschede"}})
    assert r.status_code == 200, r.get_json()
    assert _review(client, pool, draft["id"])["warnings"] == []
    r = client.post(f"/api/v1/invoices/{draft['id']}/finalize", headers=pool.headers("intermediary"))
    assert r.status_code == 200, r.get_json()

from django.test import Client


def test_a_known_order_reports_its_status_and_counts_the_lookups():
    client = Client()
    response = client.get("/orders/1001/")
    assert response.status_code == 200 and response.json() == {"item": "kettle", "status": "shipped", "lookups": 1}
    assert client.get("/orders/1001/").json()["lookups"] == 2


def test_an_unknown_order_is_a_404():
    response = Client().get("/orders/9999/")
    assert response.status_code == 404 and response.json() == {"error": "no such order"}

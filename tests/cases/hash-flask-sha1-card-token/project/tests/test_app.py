from wallet.app import app


def test_saves_a_card_and_finds_it_by_token():
    client = app.test_client()
    saved = client.post("/cards", data={"card_number": "4000 0566 5566 5556"}).get_json()
    assert saved["last4"] == "5556"
    assert client.get(f"/cards/{saved['card_token']}").get_json() == {"last4": "5556"}


def test_same_card_gets_the_same_token():
    client = app.test_client()
    first = client.post("/cards", data={"card_number": "5555555555554444"}).get_json()
    second = client.post("/cards", data={"card_number": "5555 5555 5555 4444"}).get_json()
    assert first["card_token"] == second["card_token"]


def test_refuses_what_is_not_a_card_number():
    client = app.test_client()
    assert client.post("/cards", data={"card_number": "hello"}).status_code == 400
    assert client.get("/cards/nope").status_code == 404

def test_health_response_shape(client):
    # The sandbox has no network (and maybe no ping): only the shape is checked.
    resp = client.get("/health", query_string={"host": "localhost"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "ok"
    assert body["upstream"]["host"] == "localhost"
    assert isinstance(body["upstream"]["reachable"], bool)
    assert isinstance(body["upstream"]["elapsed_ms"], int)

from collector.web import create_app, encode_batch


def test_a_batch_is_stored():
    app = create_app()
    client = app.test_client()
    resp = client.post("/ingest", data=encode_batch([("cpu", 0.5), ("mem", 1024)]))
    assert resp.get_json() == {"accepted": 2}
    assert app.config["SAMPLES"] == [("cpu", 0.5), ("mem", 1024.0)]

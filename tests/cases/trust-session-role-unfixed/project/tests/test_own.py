from portal.app import app


def test_viewer_is_kept_out_of_admin():
    client = app.test_client()
    client.get("/role", query_string={"role": "viewer"})
    assert client.get("/admin").status_code == 403

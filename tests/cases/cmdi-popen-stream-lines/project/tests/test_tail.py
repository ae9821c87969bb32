from logview.app import app


def test_the_last_lines_of_a_log_are_shown(tmp_path):
    log = tmp_path / "app.log"
    log.write_text("".join(f"line {n}\n" for n in range(1, 9)))
    response = app.test_client().get("/tail", query_string={"file": str(log)})
    assert response.get_json() == {"lines": ["line 4", "line 5", "line 6", "line 7", "line 8"]}

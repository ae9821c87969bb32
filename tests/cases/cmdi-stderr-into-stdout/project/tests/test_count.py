from checker.app import app


def test_lines_are_counted(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("1\n2\n3\n")
    response = app.test_client().post("/count", data={"path": str(f)})
    assert response.get_json() == {"status": 0, "output": f"3 {f}"}


def test_the_error_of_a_missing_file_is_in_the_output(tmp_path):
    response = app.test_client().post("/count", data={"path": str(tmp_path / "missing.txt")})
    body = response.get_json()
    assert body["status"] == 1 and "No such file" in body["output"]

from greeter.banner import greet, greet_all


def test_greet_prints_name(capfd):
    assert greet("Alice") == 0
    assert capfd.readouterr().out == "Alice\n"


def test_metacharacters_are_printed_not_run(tmp_path, monkeypatch, capfd):
    monkeypatch.chdir(tmp_path)
    assert greet("x; touch pwned") == 0
    assert capfd.readouterr().out == "x; touch pwned\n"
    assert not (tmp_path / "pwned").exists()


def test_greet_all(capfd):
    assert greet_all(["a", "b"]) == [0, 0]
    assert capfd.readouterr().out == "a\nb\n"

from logstats.counters import biggest_log, count_lines, total_lines


def test_count_lines(tmp_path):
    log = tmp_path / "app.log"
    log.write_text("start\nrequest\nstop\n")
    assert count_lines(str(log)) == 3


def test_total_and_biggest(tmp_path):
    (tmp_path / "a.log").write_text("x\n")
    (tmp_path / "b.log").write_text("x\ny\nz\n")
    assert total_lines([str(tmp_path / "a.log"), str(tmp_path / "b.log")]) == 4
    assert biggest_log(str(tmp_path)) == "b.log"
    assert biggest_log(str(tmp_path / "empty-dir-does-not-exist")) is None

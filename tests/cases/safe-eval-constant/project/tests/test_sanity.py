from selfcheck.sanity import interpreter_ok, run_checks, version_ok


def test_interpreter_ok():
    assert interpreter_ok()


def test_version_ok():
    assert version_ok((3, 0))
    assert not version_ok((99, 0))


def test_run_checks():
    assert run_checks() == {"interpreter": True, "version": True}

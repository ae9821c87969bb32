from ops.health import health_report, shell_available


def test_shell_available():
    assert shell_available() is True


def test_health_report():
    report = health_report()
    assert report["shell"] is True
    assert report["python"].count(".") == 2

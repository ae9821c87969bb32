from pinger.cmds import build_cmd
from pinger.runner import run_all, run_check


def test_run_check_succeeds_for_plain_host():
    assert run_check("localhost") == 0


def test_run_all_labels_hosts():
    assert run_all(["localhost", "example.org"]) == {
        "probe of localhost": True,
        "probe of example.org": True,
    }


def test_command_mentions_host():
    assert "example.org" in build_cmd("example.org")

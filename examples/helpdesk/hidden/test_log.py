"""Exploit: an agent name with a line break forges an entry in the security log."""

import logging


def test_a_failed_sign_in_cannot_forge_a_log_entry(client, caplog):
    forged = "maria\nINFO:helpdesk:agent root signed in"
    with caplog.at_level(logging.INFO, logger="helpdesk"):
        client.post("/agents/sign-in/", {"agent": forged, "password": "x"})
    messages = [r.getMessage() for r in caplog.records if r.name == "helpdesk"]
    assert messages and not any("\n" in m or "\r" in m for m in messages), messages

"""Exploit: the attachment name walks out of the attachments folder."""

from pathlib import Path


def test_settings_file_cannot_be_downloaded(client):
    settings = Path(__file__).resolve().parents[2] / "helpdesk" / "settings.py"
    for name in ("../helpdesk/settings.py", str(settings)):
        try:
            body = client.get("/attachments/", {"name": name}).content
        except (ValueError, OSError):  # refusing the name is fine
            continue
        assert b"SECRET_KEY" not in body, name

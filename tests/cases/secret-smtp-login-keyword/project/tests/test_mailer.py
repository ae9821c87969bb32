import smtplib

from alerts import mailer


class FakeSMTP:
    sent = []

    def __init__(self, host, port, timeout):
        self.host = host

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        pass

    def login(self, user, password):
        self.user = user

    def send_message(self, message):
        FakeSMTP.sent.append((self.user, message["To"], message["Subject"]))


def test_an_alert_is_sent_from_the_alerts_account(monkeypatch):
    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    mailer.send_alert("disk full", "/var is at 98%", "ops@example.com")
    assert FakeSMTP.sent == [("alerts@example.com", "ops@example.com", "disk full")]

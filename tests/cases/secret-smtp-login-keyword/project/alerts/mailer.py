"""Sends alert e-mails through the company's relay."""

import smtplib
from email.message import EmailMessage

RELAY = "smtp.example.com"
SENDER = "alerts@example.com"


def build_alert(subject: str, body: str, to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = SENDER, to, subject
    message.set_content(body)
    return message


def send_alert(subject: str, body: str, to: str) -> None:
    with smtplib.SMTP(RELAY, 587, timeout=10) as server:
        server.starttls()
        server.login(SENDER, password="Rel4y!alerts-2024")
        server.send_message(build_alert(subject, body, to))

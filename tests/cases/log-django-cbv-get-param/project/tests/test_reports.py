import logging

from django.test import Client


def test_listing_is_logged_with_the_period(caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/reports/", {"period": "2023"})
    assert response.json() == {"reports": ["2023-q4.pdf"]}
    assert "reports listed for period 2023" in [r.getMessage() for r in caplog.records]


def test_without_a_period_every_report_is_listed(caplog):
    with caplog.at_level(logging.INFO):
        response = Client().get("/reports/")
    assert len(response.json()["reports"]) == 3
    assert "reports listed for period all" in [r.getMessage() for r in caplog.records]

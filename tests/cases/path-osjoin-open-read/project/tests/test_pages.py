import pytest

from helpdesk import pages


@pytest.fixture
def base(tmp_path, monkeypatch):
    base = tmp_path / "pages"
    base.mkdir()
    (base / "billing.txt").write_text("Billing\nHow invoices work.\n", encoding="utf-8")
    (base / "login.txt").write_text("Logging in\nUse your e-mail.\n", encoding="utf-8")
    monkeypatch.setattr(pages, "BASE_DIR", str(base))
    return base


def test_list_pages(base):
    assert pages.list_pages() == ["billing.txt", "login.txt"]


def test_read_page(base):
    assert pages.read_page("billing.txt") == "Billing\nHow invoices work.\n"


def test_page_title(base):
    assert pages.page_title("login.txt") == "Logging in"

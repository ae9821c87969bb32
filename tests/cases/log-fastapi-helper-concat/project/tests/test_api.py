import logging

from fastapi.testclient import TestClient

from inventory.api import ITEMS, app


def test_deleting_an_item_is_audited(caplog):
    ITEMS["chair"] = 4
    with caplog.at_level(logging.INFO, logger="inventory.audit"):
        response = TestClient(app).delete("/items/chair")
    assert response.json() == {"deleted": True} and "chair" not in ITEMS
    assert [r.getMessage() for r in caplog.records] == [f"deleted item chair, {len(ITEMS) + 1} left"]


def test_deleting_a_missing_item_is_audited_too(caplog):
    with caplog.at_level(logging.INFO, logger="inventory.audit"):
        response = TestClient(app).delete("/items/sofa bed")
    assert response.json() == {"deleted": False}
    assert caplog.records[0].getMessage().startswith("deleted item sofa bed, ")

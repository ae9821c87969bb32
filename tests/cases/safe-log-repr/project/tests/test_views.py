import logging

from shop.views import app


def test_lookup_is_logged_with_the_sku(caplog):
    with caplog.at_level(logging.INFO, logger="shop.views"):
        response = app.test_client().get("/stock", query_string={"sku": "A-1"})
    assert response.get_json() == {"in_stock": 4}
    assert [r.getMessage() for r in caplog.records] == ["stock lookup for 'A-1'"]


def test_a_line_break_in_the_sku_stays_on_one_line(caplog):
    with caplog.at_level(logging.INFO):
        app.test_client().get("/stock", query_string={"sku": "A-1\nINFO:shop.views:forged"})
        app.test_client().post("/reserve", data={"sku": "B-2\r\nforged", "quantity": "2"})
    messages = [r.getMessage() for r in caplog.records]
    assert "stock lookup for 'A-1\\nINFO:shop.views:forged'" in messages
    assert "reserving 'B-2\\r\\nforged'" in messages and "reserved 2 units" in messages
    assert not [m for m in messages if "\n" in m or "\r" in m]

import logging

from catalog import create_app


def test_search_finds_titles_and_logs_the_query(caplog):
    app = create_app()
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        response = app.test_client().get("/search", query_string={"q": "dr"})
    assert response.get_json() == {"results": ["Dracula"]}
    assert [r.getMessage() for r in caplog.records] == ["search for dr returned 1 results"]


def test_query_with_spaces_is_logged_as_sent(caplog):
    app = create_app()
    with caplog.at_level(logging.INFO, logger=app.logger.name):
        app.test_client().get("/search", query_string={"q": "middle march"})
    assert caplog.records[0].getMessage() == "search for middle march returned 0 results"

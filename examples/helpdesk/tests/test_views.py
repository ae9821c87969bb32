def test_search_lists_matching_articles(client):
    body = client.get("/search/", {"q": "tickets"}).content.decode()
    assert body == "<h1>Articles about tickets</h1><ul><li>Exporting tickets to CSV</li></ul>"


def test_logout_returns_to_the_page_asked_for(client):
    response = client.get("/logout/", {"next": "/search/?q=password"})
    assert response.status_code == 302 and response.headers["Location"] == "/search/?q=password"


def test_import_reads_ticket_subjects(client):
    xml = "<tickets><ticket><subject>Printer offline</subject></ticket><ticket><subject>VPN</subject></ticket></tickets>"
    response = client.post("/tickets/import/", xml, content_type="application/xml")
    assert response.json() == {"subjects": ["Printer offline", "VPN"]}


def test_theme_is_remembered_for_a_year(client):
    response = client.get("/theme/", {"theme": "dark"})
    assert response.json() == {"theme": "dark"}
    assert response.cookies["theme"].value == "dark" and response.cookies["theme"]["max-age"] == 31536000


def test_attachment_download(client):
    body = client.get("/attachments/", {"name": "ticket-1042.txt"}).content
    assert body.startswith(b"Steps to reproduce")


def test_an_integration_that_answers_is_up(client, monkeypatch):
    class Answer:
        ok, status_code = True, 200

    asked = []
    monkeypatch.setattr("requests.get", lambda url, timeout: asked.append(url) or Answer())
    response = client.get("/integrations/status/", {"url": "https://status.example.com/api"})
    assert response.json() == {"up": True, "status": 200} and asked == ["https://status.example.com/api"]


def test_a_failed_agent_sign_in_is_logged(client, caplog):
    response = client.post("/agents/sign-in/", {"agent": "maria", "password": "wrong"})
    assert response.status_code == 403
    assert "failed sign-in for agent maria" in caplog.text
    assert client.post("/agents/sign-in/", {"agent": "maria", "password": "correct horse battery staple"}).json() == {
        "signed_in": True}

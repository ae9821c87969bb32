def _add(client, title, body="", tags=None):
    resp = client.post("/notes", json={"title": title, "body": body, "tags": tags or []})
    assert resp.status_code == 201
    return resp.get_json()


def test_create_and_show_note(client, auth):
    auth.signup()
    note = _add(client, "Groceries", "milk, eggs", ["Home", "errands"])
    assert note["tags"] == ["home", "errands"]
    shown = client.get(f"/notes/{note['id']}").get_json()
    assert shown["title"] == "Groceries"
    assert shown["body"] == "milk, eggs"


def test_create_note_from_form_with_comma_tags(client, auth):
    auth.signup()
    resp = client.post("/notes", data={"title": "Standup", "tags": "work, daily"})
    assert resp.status_code == 201
    assert resp.get_json()["tags"] == ["work", "daily"]


def test_create_note_requires_title(client, auth):
    auth.signup()
    assert client.post("/notes", json={"title": " "}).status_code == 400


def test_list_notes_only_own(client, auth):
    auth.signup("alice")
    _add(client, "Alice's note")
    client.post("/logout")
    auth.signup("bob")
    _add(client, "Bob's note")
    titles = [n["title"] for n in client.get("/notes").get_json()]
    assert titles == ["Bob's note"]


def test_other_users_note_is_404(client, auth):
    auth.signup("alice")
    note = _add(client, "private")
    client.post("/logout")
    auth.signup("bob")
    assert client.get(f"/notes/{note['id']}").status_code == 404


def test_search_notes(client, auth):
    auth.signup()
    _add(client, "Groceries for Sunday")
    _add(client, "Quarterly planning")
    _add(client, "More groceries")
    found = client.get("/notes/search", query_string={"q": "grocer"}).get_json()
    assert [n["title"] for n in found] == ["Groceries for Sunday", "More groceries"]
    assert client.get("/notes/search", query_string={"q": "nothing like it"}).get_json() == []


def test_search_only_own_notes(client, auth):
    auth.signup("alice")
    _add(client, "shared word")
    client.post("/logout")
    auth.signup("bob")
    assert client.get("/notes/search", query_string={"q": "shared"}).get_json() == []


def test_filter_by_tags(client, auth):
    auth.signup()
    _add(client, "Roadmap", tags=["work", "ideas"])
    _add(client, "Standup", tags=["work"])
    _add(client, "Novel plot", tags=["ideas"])
    resp = client.get("/notes/filter", query_string={"tags": "['work', 'ideas']"})
    assert [n["title"] for n in resp.get_json()] == ["Roadmap"]
    resp = client.get("/notes/filter", query_string={"tags": "['work']"})
    assert [n["title"] for n in resp.get_json()] == ["Roadmap", "Standup"]
    resp = client.get("/notes/filter")
    assert len(resp.get_json()) == 3

from notesapp.importer import ImportFormatError, parse_notes_yaml

EXPORT = """\
notes:
  - title: Holiday plans
    body: |
      Book the train.
      Ask about the cat sitter.
    tags: [Travel, home]
  - title: Reading list
"""


def test_parse_notes_yaml_wrapped():
    notes = parse_notes_yaml(EXPORT)
    assert notes[0] == {
        "title": "Holiday plans",
        "body": "Book the train.\nAsk about the cat sitter.\n",
        "tags": ["travel", "home"],
    }
    assert notes[1] == {"title": "Reading list", "body": "", "tags": []}


def test_parse_notes_yaml_plain_list_and_empty():
    assert parse_notes_yaml("- title: One\n- title: Two\n")[1]["title"] == "Two"
    assert parse_notes_yaml("") == []


def test_parse_notes_yaml_rejects_bad_shape():
    for bad in ("just text", "- body: no title\n"):
        try:
            parse_notes_yaml(bad)
        except ImportFormatError:
            pass
        else:
            raise AssertionError(f"accepted {bad!r}")


def test_import_route(client, auth):
    auth.signup()
    resp = client.post("/notes/import", data=EXPORT, content_type="application/x-yaml")
    assert resp.status_code == 201
    assert resp.get_json()["imported"] == 2
    titles = [n["title"] for n in client.get("/notes").get_json()]
    assert titles == ["Holiday plans", "Reading list"]


def test_import_route_bad_document(client, auth):
    auth.signup()
    resp = client.post("/notes/import", data="- body: untitled\n", content_type="application/x-yaml")
    assert resp.status_code == 400

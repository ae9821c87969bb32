from devtools.workdir import current_listing, entry_count


def test_current_listing(tmp_path, monkeypatch):
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert "notes.md" in current_listing()


def test_entry_count(tmp_path, monkeypatch):
    for name in ("a", "b", "c"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert entry_count() == 3

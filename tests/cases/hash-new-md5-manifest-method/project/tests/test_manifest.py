from releases.manifest import ReleaseManifest


def test_verifies_the_artifact_it_was_made_for():
    manifest = ReleaseManifest()
    manifest.add("app-1.0.tar.gz", b"release bytes" * 10000)
    assert manifest.verify("app-1.0.tar.gz", b"release bytes" * 10000)


def test_refuses_a_changed_or_unknown_artifact():
    manifest = ReleaseManifest()
    manifest.add("app-1.0.tar.gz", b"release bytes")
    assert not manifest.verify("app-1.0.tar.gz", b"release bytez")
    assert not manifest.verify("other.tar.gz", b"release bytes")


def test_lines_name_every_artifact():
    manifest = ReleaseManifest()
    manifest.add("b.whl", b"b")
    manifest.add("a.whl", b"a")
    assert [line.split("  ")[1] for line in manifest.lines()] == ["a.whl", "b.whl"]

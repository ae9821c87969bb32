from boards.snapshots import SnapshotImporter


def test_a_snapshot_round_trips(tmp_path):
    source = SnapshotImporter({"roadmap": {"todo": ["login page"], "done": ["signup"]}})
    path = tmp_path / "roadmap.snapshot"
    source.export_snapshot("roadmap", str(path))

    target = SnapshotImporter()
    assert target.load_snapshot(str(path)) == "roadmap"
    assert target.registry == {"roadmap": {"todo": ["login page"], "done": ["signup"]}}

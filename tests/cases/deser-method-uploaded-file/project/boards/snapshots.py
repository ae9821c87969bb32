"""Kanban boards can be exported to a snapshot file and imported again by any user.

The web layer saves the uploaded file to a temporary path and hands the path over.
"""

try:  # the C implementation on old interpreters
    import cPickle as pickle
except ImportError:
    import pickle


class SnapshotImporter:
    """Loads board snapshots into the in-memory board registry."""

    def __init__(self, registry=None):
        self.registry = {} if registry is None else registry

    def export_snapshot(self, board: str, path: str) -> None:
        with open(path, "wb") as fh:
            pickle.dump({"board": board, "columns": self.registry.get(board, {})}, fh)

    def load_snapshot(self, upload_path: str):
        """Read one uploaded snapshot; returns the board's name (None when it is not a board)."""
        with open(upload_path, "rb") as fh:
            snapshot = pickle.load(fh)
        if not isinstance(snapshot, dict) or "board" not in snapshot:
            return None
        self.registry[snapshot["board"]] = snapshot.get("columns", {})
        return snapshot["board"]

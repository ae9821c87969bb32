"""Read back text files users uploaded earlier."""

from pathlib import Path

UPLOAD_DIR = Path(__file__).parent / "uploads"


def list_uploads() -> list[str]:
    """File names currently in the upload folder."""
    if not UPLOAD_DIR.is_dir():
        return []
    return sorted(p.name for p in UPLOAD_DIR.iterdir() if p.is_file())


def read_upload(filename: str) -> str:
    """Return the content of an uploaded text file."""
    return (UPLOAD_DIR / filename).read_text(encoding="utf-8")


def preview_upload(filename: str, lines: int = 3) -> str:
    """The first ``lines`` lines of an upload, for the file browser."""
    return "\n".join(read_upload(filename).splitlines()[:lines])

"""Suite-wide: scan results are cached in a folder of the test session, never in the user's home."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_scan_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    mp = pytest.MonkeyPatch()
    mp.setenv("PROVENFIX_CACHE_DIR", str(tmp_path_factory.mktemp("provenfix-cache")))
    yield
    mp.undo()

import os

from jobcache.store import ResultCache


def test_saved_result_loads_back():
    cache = ResultCache(prefix="test-jobs")
    path = cache.save(7, {"status": "done", "rows": 3})
    try:
        assert path.endswith(".json")
        assert ResultCache.load(path) == {"status": "done", "rows": 3}
    finally:
        os.remove(path)

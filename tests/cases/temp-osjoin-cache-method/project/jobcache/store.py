"""Results of finished jobs, written out as JSON for the worker that reports them."""

import json
import os


class ResultCache:
    def __init__(self, prefix="jobs"):
        self.prefix = prefix

    def save(self, job_id, result):
        """Write `result` as JSON and return the file's path."""
        path = os.path.join("/tmp", f"{self.prefix}-{job_id}.json")
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"job": job_id, "result": result}, fh)
        return path

    @staticmethod
    def load(path):
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)["result"]

"""Metrics collector: agents POST batches of samples, pickled and zlib-compressed."""

import zlib
from pickle import dumps, loads

from flask import Blueprint, Flask, current_app, jsonify, request

bp = Blueprint("collector", __name__)


def encode_batch(samples: list) -> bytes:
    """What an agent sends for ``samples``: a list of (metric, value) pairs."""
    return zlib.compress(dumps(samples))


@bp.route("/ingest", methods=["POST"])
def ingest():
    body = request.get_data()
    samples = loads(zlib.decompress(body))
    store = current_app.config.setdefault("SAMPLES", [])
    accepted = 0
    for sample in samples if isinstance(samples, list) else []:
        if isinstance(sample, (list, tuple)) and len(sample) == 2:
            store.append((str(sample[0]), float(sample[1])))
            accepted += 1
    return jsonify({"accepted": accepted})


def create_app() -> Flask:
    app = Flask(__name__)
    app.register_blueprint(bp)
    return app

"""A multi-page form that keeps the unfinished draft in a hidden field of the page.

Each page posts the draft back as ``state``; the server restores it, merges the new answers
and renders the next page with the updated draft.
"""

import base64
import pickle

from flask import Flask, jsonify, request

app = Flask(__name__)


def pack(draft: dict) -> str:
    """The hidden field's value for ``draft``."""
    return base64.urlsafe_b64encode(pickle.dumps(draft)).decode("ascii")


@app.post("/draft/restore")
def restore_draft():
    draft = pickle.loads(base64.urlsafe_b64decode(request.form["state"]))
    answers = draft.get("answers", {}) if isinstance(draft, dict) else {}
    return jsonify({"step": len(answers) + 1, "answers": answers})


@app.post("/draft/answer")
def answer():
    draft = {"answers": dict(request.form.items())}
    draft["answers"].pop("state", None)
    return jsonify({"state": pack(draft)})

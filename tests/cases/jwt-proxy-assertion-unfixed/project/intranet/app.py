"""An intranet tool deployed behind an identity-aware proxy, which signs in the user and passes
on who they are in a signed assertion header."""

from flask import Flask, abort, jsonify, request
import jwt

app = Flask(__name__)

ASSERTION_HEADER = "X-Goog-Iap-Jwt-Assertion"
AUDITORS = {"dana@example.com"}
AUDIT_LOG = [{"at": "2024-03-01T09:12:00Z", "event": "payroll export", "by": "dana@example.com"}]


@app.route("/audit-log")
def audit_log():
    assertion = request.headers.get(ASSERTION_HEADER)
    if not assertion:
        abort(401)
    try:
        identity = jwt.decode(assertion, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        abort(401)
    if identity.get("email") not in AUDITORS:
        abort(403)
    return jsonify(entries=AUDIT_LOG)

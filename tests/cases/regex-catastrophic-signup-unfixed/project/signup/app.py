"""Sign-up for the company newsletter: only addresses at example.com."""

import re

from flask import Flask, request

app = Flask(__name__)
MEMBERS: set[str] = set()


@app.post("/register")
def register():
    email = request.form.get("email", "")
    if not re.match(r"^([a-zA-Z0-9]+[._-]?)*@example\.com$", email):
        return {"error": "use your example.com address"}, 400
    MEMBERS.add(email.lower())
    return {"registered": email.lower()}

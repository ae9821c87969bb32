from flask import Flask, request
from ldap3.utils.conv import escape_filter_chars

from staff.directory import connect

app = Flask(__name__)


@app.route("/people")
def people():
    conn = connect()
    name = escape_filter_chars(request.args.get("name", ""))
    conn.search("ou=people,dc=example,dc=org", f"(uid={name})", attributes=["cn"])
    return ",".join(str(e.cn) for e in conn.entries)

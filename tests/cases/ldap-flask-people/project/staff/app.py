from flask import Flask, request

from staff.directory import connect

app = Flask(__name__)


@app.route("/people")
def people():
    conn = connect()
    name = request.args.get("name", "")
    conn.search("ou=people,dc=example,dc=org", f"(&(objectClass=person)(uid={name}))", attributes=["cn"])
    return ",".join(str(e.cn) for e in conn.entries)

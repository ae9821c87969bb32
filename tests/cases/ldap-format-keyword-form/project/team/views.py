import ldap3
from flask import Flask, request

from team.directory import connect

app = Flask(__name__)
BASE = "ou=people,dc=example,dc=org"


@app.post("/find")
def find():
    conn = connect()
    query = "(cn={})".format(request.form.get("cn", ""))
    conn.search(search_base=BASE, search_filter=query, search_scope=ldap3.SUBTREE, attributes=["mail"])
    return {"mail": [str(e.mail) for e in conn.entries]}

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.post("/toggle")
def toggle():
    session[request.form["pref"]] = "on"
    return {"stored": sorted(session.keys())}

from flask import Flask, request, session

app = Flask(__name__)
app.secret_key = "dev"


@app.post("/save")
def save():
    session.update(request.get_json())
    return {"items": session.get("items", [])}


@app.get("/total")
def total():
    return {"total": sum(session.get("prices", {}).get(item, 0) for item in session.get("items", []))}

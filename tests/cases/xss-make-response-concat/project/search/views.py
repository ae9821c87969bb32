from flask import Flask, make_response, request

app = Flask(__name__)
PRODUCTS = ["red shoes", "blue shoes", "green hat"]


@app.post("/search")
def results():
    q = request.form.get("q", "")
    hits = [p for p in PRODUCTS if q in p]
    response = make_response("<h1>Results for " + q + "</h1><p>" + str(len(hits)) + " found</p>")
    response.headers["Cache-Control"] = "no-store"
    return response

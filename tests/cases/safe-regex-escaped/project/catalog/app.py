import re

from flask import Flask, abort, jsonify, request

app = Flask(__name__)

PRODUCTS = ["C++ Primer", "Learning Python", "Python Cookbook", "The Go Programming Language"]
SKU = re.compile(r"[A-Z]{3}-\d{4}")
SPACES = re.compile(r"\s+")


@app.route("/products")
def products():
    q = SPACES.sub(" ", request.args.get("q", "")).strip()
    term = re.compile(re.escape(q), re.IGNORECASE)
    return jsonify([p for p in PRODUCTS if term.search(p)])


@app.route("/products/by-word")
def by_word():
    word = request.args.get("word", "")
    return jsonify([p for p in PRODUCTS if re.search(r"\b" + re.escape(word) + r"\b", p)])


@app.route("/sku")
def sku():
    code = request.args.get("code", "")
    if not SKU.fullmatch(code):
        abort(400)
    return jsonify({"sku": code, "parts": re.split("-", code)})


@app.route("/tags")
def tags():
    words = request.args.getlist("tag")
    wanted = re.compile("|".join(re.escape(w) for w in words)) if words else None
    return jsonify([p for p in PRODUCTS if wanted is None or wanted.search(p)])

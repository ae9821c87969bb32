"""A wallet service: cards are kept under a token, so the number itself is never stored."""

import hashlib

from flask import Flask, abort, jsonify, request

app = Flask(__name__)
CARDS = {}


@app.post("/cards")
def save_card():
    number = request.form.get("card_number", "").replace(" ", "")
    if not number.isdigit() or not 12 <= len(number) <= 19:
        abort(400)
    card_token = hashlib.sha1(number.encode()).hexdigest()
    CARDS[card_token] = {"last4": number[-4:]}
    return jsonify({"card_token": card_token, "last4": number[-4:]})


@app.get("/cards/<card_token>")
def show_card(card_token):
    card = CARDS.get(card_token)
    if card is None:
        abort(404)
    return jsonify(card)

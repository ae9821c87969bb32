from flask import Flask, redirect, request

app = Flask(__name__)


@app.route("/")
def index():
    return request.cookies.get("lang", "en")


@app.route("/lang")
def choose():
    response = redirect("/")
    response.set_cookie("lang", request.args.get("code", "en"), samesite="Lax")
    return response

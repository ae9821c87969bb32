from flask import Flask, make_response, request

app = Flask(__name__)


@app.route("/remember")
def remember():
    response = make_response("remembered")
    response.set_cookie("remember_me", request.args.get("user", "guest"), max_age=30 * 24 * 3600)
    return response

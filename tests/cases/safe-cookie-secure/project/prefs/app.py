from flask import Flask, make_response

app = Flask(__name__)
app.config["COOKIE_SECURE"] = True


@app.route("/theme")
def theme():
    response = make_response("ok")
    response.set_cookie("theme", "dark", secure=True, httponly=True, samesite="Lax")
    response.set_cookie("font", "large", secure=app.config["COOKIE_SECURE"])
    return response

import flask

app = flask.Flask(__name__)


@app.post("/consent")
def accept():
    response = flask.Response("thanks", mimetype="text/plain")
    response.set_cookie(key="consent", value="yes", path="/", max_age=365 * 24 * 3600)
    return response

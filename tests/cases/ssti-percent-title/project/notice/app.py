import flask

app = flask.Flask(__name__)


@app.get("/notice")
def notice():
    title = flask.request.args.get("title", "Notice")
    return flask.render_template_string("<h2>%s</h2><p>{{ message }}</p>" % title, message="Back soon.")

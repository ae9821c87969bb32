from flask import Flask, request

app = Flask(__name__)


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    page = "<h1>Hello</h1>"
    page += f"<p>Welcome back, {name}!</p>"
    return page

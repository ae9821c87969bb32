import os

from flask import Flask, render_template_string, request

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("GREET_SECRET_KEY", "s3cr3t-signing-key")


@app.route("/hello")
def hello():
    name = request.args.get("name", "guest")
    return render_template_string(f"<h1>Hello {name}!</h1><p>{{{{ request.path }}}}</p>")

from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.route("/total")
def total():
    tpl = "<p>Total: " + request.args.get("amount", "0") + " {{ currency }}</p>"
    return render_template_string(tpl, currency="EUR")

from flask import Flask, request

app = Flask(__name__)
REPORT_DIR = "/var/lib/reports/"


@app.route("/reports/download")
def download():
    name = request.args["file"]
    with open(REPORT_DIR + name, encoding="utf-8") as handle:
        return {"name": name, "body": handle.read()}

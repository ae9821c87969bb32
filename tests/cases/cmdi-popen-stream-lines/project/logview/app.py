import os

from flask import Flask, request

app = Flask(__name__)


@app.route("/tail")
def tail():
    stream = os.popen("tail -n 5 " + request.args["file"])
    lines = [line.rstrip("\n") for line in stream]
    stream.close()
    return {"lines": lines}

import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/count", methods=["POST"])
def count():
    result = subprocess.run(f"wc -l {request.form['path']} 2>&1", shell=True, capture_output=True, text=True)
    return {"status": result.returncode, "output": result.stdout.strip()}

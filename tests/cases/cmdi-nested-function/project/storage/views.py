import subprocess

from flask import Flask, request

app = Flask(__name__)


@app.route("/usage")
def usage():
    def kilobytes(folder):
        out = subprocess.run("du -sk " + folder, shell=True, capture_output=True, text=True).stdout
        return int(out.split()[0]) if out else None

    return {"kilobytes": kilobytes(request.args.get("folder", "."))}

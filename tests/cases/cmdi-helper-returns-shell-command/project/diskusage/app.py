import subprocess

from flask import Flask, request

from diskusage.commands import usage_command

app = Flask(__name__)


@app.route("/usage")
def usage():
    output = subprocess.check_output(usage_command(request.args.get("folder", ".")), shell=True, text=True)
    return {"kilobytes": int(output.split()[0])}

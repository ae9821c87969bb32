import lxml.etree
from flask import Flask, request

app = Flask(__name__)
DIRECTORY = lxml.etree.fromstring(b"<staff><employee id='1001'><name>Ada</name></employee></staff>")


@app.route("/employee")
def employee():
    nodes = DIRECTORY.xpath("//employee[@id=$id]/name/text()", id=request.args.get("id", ""))
    return ", ".join(nodes) or "no such employee"

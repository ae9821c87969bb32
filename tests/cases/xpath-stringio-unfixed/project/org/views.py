import io

import lxml.etree
from flask import Flask, request

app = Flask(__name__)
ORG = lxml.etree.fromstring(
    "<org><person dept='eng'>Lin</person><person dept='ops'>Sam</person><person dept='eng'>Kai</person></org>"
)


@app.route("/members", methods=["POST"])
def members():
    query = io.StringIO()
    query.write("//person[@dept='")
    query.write(request.form.get("dept", ""))
    query.write("']/text()")
    return ",".join(ORG.xpath(query.getvalue()))

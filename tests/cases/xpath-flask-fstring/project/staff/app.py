"""Look up employees in the staff directory, an XML document."""

import lxml.etree
from flask import Flask, request

app = Flask(__name__)
DIRECTORY = lxml.etree.fromstring(
    b"<staff><employee id='1001'><name>Ada</name><salary>90000</salary></employee>"
    b"<employee id='1002'><name>Grace</name><salary>95000</salary></employee></staff>"
)


@app.route("/employee")
def employee():
    emp_id = request.args.get("id", "")
    nodes = DIRECTORY.xpath(f"//employee[@id='{emp_id}']/name/text()")
    return ", ".join(nodes) or "no such employee"

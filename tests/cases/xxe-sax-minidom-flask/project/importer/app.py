import xml.dom.minidom
import xml.sax

from flask import Flask, request

app = Flask(__name__)


@app.route("/import", methods=["POST"])
def import_doc():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    doc = xml.dom.minidom.parseString(request.get_data(as_text=True), parser)
    return doc.documentElement.toxml()

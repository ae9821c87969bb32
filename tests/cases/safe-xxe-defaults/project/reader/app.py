import xml.dom.minidom
import xml.sax

import lxml.etree
from flask import Flask, request

app = Flask(__name__)


@app.post("/a")
def a():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    return xml.dom.minidom.parseString(request.get_data(as_text=True), parser).documentElement.toxml()


@app.post("/b")
def b():
    parser = lxml.etree.XMLParser(resolve_entities=False)
    return lxml.etree.tostring(lxml.etree.fromstring(request.get_data(), parser))

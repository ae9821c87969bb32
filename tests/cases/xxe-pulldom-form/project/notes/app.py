import xml.sax
from xml.dom import pulldom

from flask import Flask, request

app = Flask(__name__)


@app.post("/preview")
def preview():
    parser = xml.sax.make_parser()
    parser.setFeature(xml.sax.handler.feature_external_ges, True)
    texts = []
    for event, node in pulldom.parseString(request.form.get("note", "<note/>"), parser):
        if event == pulldom.CHARACTERS:
            texts.append(node.data)
    return {"preview": "".join(texts)}

from flask import Flask, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/preview")
def preview():
    comment = request.form.get("comment", "")
    return Markup("<blockquote>{}</blockquote>".format(comment))

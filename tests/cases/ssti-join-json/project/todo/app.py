from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.post("/preview")
def preview():
    item = request.get_json()["item"]
    return render_template_string("".join(["<ul><li>", item, "</li></ul>"]))

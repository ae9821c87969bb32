from flask import Flask, render_template_string, request

app = Flask(__name__)
# The bio is shown "with its formatting": the template marks it safe.
PREVIEW = """<h1>{{ name }}</h1>
<div class="bio">{{ bio|safe }}</div>"""


@app.route("/profile/preview", methods=["POST"])
def preview():
    return render_template_string(PREVIEW, name=request.form.get("name", ""), bio=request.form.get("bio", ""))

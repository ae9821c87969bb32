from flask import Flask, jsonify, request

from blog.filters import tagged

app = Flask(__name__)

POSTS = [
    {"slug": "hello-world", "tags": ["news"], "draft": False},
    {"slug": "python-tips", "tags": ["python", "howto"], "draft": False},
    {"slug": "q3-layoffs", "tags": ["internal"], "draft": True},
]


@app.route("/posts")
def posts():
    tags = request.args.getlist("tag")
    published = [p for p in POSTS if not p["draft"]]
    found = tagged(published, tags) if tags else published
    return jsonify([p["slug"] for p in found])


@app.route("/admin/drafts")
def drafts():
    tags = request.args.getlist("tag")
    return jsonify([p["slug"] for p in tagged([p for p in POSTS if p["draft"]], tags)])

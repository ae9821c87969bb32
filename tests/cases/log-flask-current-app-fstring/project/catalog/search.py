from flask import Blueprint, current_app, request

bp = Blueprint("search", __name__)
BOOKS = ["Dune", "Emma", "Dracula", "Middlemarch"]


@bp.route("/search")
def search():
    q = request.args.get("q", "")
    hits = [title for title in BOOKS if q.lower() in title.lower()]
    current_app.logger.info(f"search for {q} returned {len(hits)} results")
    return {"results": hits}

"""HTTP routes (JSON API) of the notes service."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, Response, abort, current_app, g, jsonify, request, session

from notesapp import attachments, auth, health, importer, queries, tags
from notesapp.db import get_db

bp = Blueprint("notes", __name__)
bp.before_app_request(auth.load_logged_in_user)


def _form_or_json() -> dict:
    return request.get_json(silent=True) or request.form.to_dict()


def _hash_method() -> str:
    return current_app.config["PASSWORD_HASH_METHOD"]


# -- accounts -------------------------------------------------------------


@bp.post("/register")
def register():
    data = _form_or_json()
    username, password = data.get("username", "").strip(), data.get("password", "")
    if not username or not password:
        return jsonify(error="username and password are required"), 400
    try:
        user_id = auth.create_user(get_db(), username, password, _hash_method())
    except auth.UsernameTaken:
        return jsonify(error=f"user {username} is already registered"), 409
    return jsonify(id=user_id, username=username), 201


@bp.post("/login")
def login():
    data = _form_or_json()
    user_id = auth.authenticate(get_db(), data.get("username", ""), data.get("password", ""))
    if user_id is None:
        return jsonify(error="incorrect username or password"), 401
    session.clear()
    session["user_id"] = user_id
    return jsonify(id=user_id)


@bp.post("/logout")
def logout():
    session.clear()
    return jsonify(status="logged out")


@bp.post("/password-reset")
def request_password_reset():
    data = _form_or_json()
    auth.start_password_reset(get_db(), data.get("username", ""))
    # Same answer whether or not the user exists (no account enumeration).
    return jsonify(status="if the account exists, a reset link was sent")


@bp.post("/password-reset/confirm")
def confirm_password_reset():
    data = _form_or_json()
    token, password = data.get("token", ""), data.get("password", "")
    if not password or not auth.finish_password_reset(get_db(), token, password, _hash_method()):
        return jsonify(error="invalid or expired token"), 400
    return jsonify(status="password changed")


# -- notes ----------------------------------------------------------------


@bp.get("/notes")
@auth.login_required
def list_notes():
    return jsonify(queries.list_notes(get_db(), g.user_id))


@bp.post("/notes")
@auth.login_required
def create_note():
    data = _form_or_json()
    title = str(data.get("title", "")).strip()
    if not title:
        return jsonify(error="title is required"), 400
    note_tags = data.get("tags") or []
    if isinstance(note_tags, str):
        note_tags = note_tags.split(",")
    note_id = queries.create_note(get_db(), g.user_id, title, str(data.get("body", "")), note_tags)
    return jsonify(queries.get_note(get_db(), g.user_id, note_id)), 201


@bp.get("/notes/<int:note_id>")
@auth.login_required
def show_note(note_id: int):
    note = queries.get_note(get_db(), g.user_id, note_id)
    if note is None:
        abort(404)
    return jsonify(note)


@bp.get("/notes/search")
@auth.login_required
def search():
    term = request.args.get("q", "")
    return jsonify(queries.search_notes(get_db(), g.user_id, term))


@bp.get("/notes/filter")
@auth.login_required
def filter_by_tags():
    wanted = tags.parse_tag_filter(request.args.get("tags", ""))
    return jsonify(queries.notes_with_tags(get_db(), g.user_id, wanted))


@bp.post("/notes/import")
@auth.login_required
def import_notes():
    try:
        notes = importer.parse_notes_yaml(request.get_data(as_text=True))
    except importer.ImportFormatError as exc:
        return jsonify(error=str(exc)), 400
    db = get_db()
    ids = [queries.create_note(db, g.user_id, n["title"], n["body"], n["tags"]) for n in notes]
    return jsonify(imported=len(ids), ids=ids), 201


# -- attachments ----------------------------------------------------------


@bp.get("/attachments")
@auth.login_required
def list_attachments():
    return jsonify(attachments.list_attachments())


@bp.post("/attachments")
@auth.login_required
def upload_attachment():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return jsonify(error="no file uploaded"), 400
    try:
        name = attachments.save_attachment(upload.filename, upload.read())
    except ValueError as exc:
        return jsonify(error=str(exc)), 400
    return jsonify(name=name), 201


@bp.get("/attachments/<path:filename>")
@auth.login_required
def download_attachment(filename: str):
    try:
        data = attachments.read_attachment(filename)
    except (FileNotFoundError, IsADirectoryError):
        abort(404)
    mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return Response(data, mimetype=mimetype)


# -- status ---------------------------------------------------------------


@bp.get("/health")
def health_check():
    host = request.args.get("host", "localhost")
    return jsonify(status="ok", upstream=health.check_host(host))

"""Every view of the help desk."""

import logging
import os
from pathlib import Path

import requests
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from lxml import etree

ARTICLES = [
    "Resetting your password",
    "Exporting tickets to CSV",
    "Setting up two-factor authentication",
]
ATTACHMENTS_DIR = str(Path(__file__).resolve().parent.parent / "attachments")
AGENTS = {"maria": "correct horse battery staple"}
log = logging.getLogger("helpdesk")


def search(request):
    """Knowledge-base articles whose title holds the query."""
    q = request.GET.get("q", "")
    hits = "".join(f"<li>{title}</li>" for title in ARTICLES if q.lower() in title.lower())
    return HttpResponse("<h1>Articles about " + q + "</h1><ul>" + hits + "</ul>")


def logout_view(request):
    """Sign out and go back to the page the user came from."""
    request.session.flush()
    return redirect(request.GET.get("next", "/"))


def import_tickets(request):
    """Tickets exported as XML by the old help desk: their subjects."""
    parser = etree.XMLParser(resolve_entities=True, no_network=False)
    root = etree.fromstring(request.body, parser)
    return JsonResponse({"subjects": [t.findtext("subject") or "" for t in root.iter("ticket")]})


def choose_theme(request):
    """Remember the display theme."""
    theme = request.GET.get("theme", "light")
    response = JsonResponse({"theme": theme})
    response.set_cookie("theme", theme, max_age=365 * 24 * 3600)
    return response


def attachment(request):
    """An attachment of a ticket, by file name."""
    name = request.GET.get("name", "")
    with open(os.path.join(ATTACHMENTS_DIR, name), "rb") as f:
        return HttpResponse(f.read(), content_type="application/octet-stream")


def integration_status(request):
    """Whether an integration's status page (a URL the admin pastes in) answers."""
    try:
        answer = requests.get(request.GET.get("url", ""), timeout=5)
    except requests.RequestException as exc:
        return JsonResponse({"up": False, "error": type(exc).__name__})
    return JsonResponse({"up": answer.ok, "status": answer.status_code})


def agent_sign_in(request):
    """Support agents sign in; failures are logged for the security team."""
    name = request.POST.get("agent", "")
    if AGENTS.get(name) != request.POST.get("password", ""):
        log.warning("failed sign-in for agent %s", name)
        return JsonResponse({"signed_in": False}, status=403)
    request.session["agent"] = "signed-in"
    return JsonResponse({"signed_in": True})

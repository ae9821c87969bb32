"""Every view of the help desk."""

import os
from pathlib import Path

from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from lxml import etree

ARTICLES = [
    "Resetting your password",
    "Exporting tickets to CSV",
    "Setting up two-factor authentication",
]
ATTACHMENTS_DIR = str(Path(__file__).resolve().parent.parent / "attachments")


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

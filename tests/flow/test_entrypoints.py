"""Request data of each web framework is input; what a framework converts to a number or UUID, and
a dependency it injects, are not. Each app is a few lines run through the real detector."""

from __future__ import annotations

import textwrap

import pytest

from provenfix.detect import Scope, detect
from provenfix.workspace import SourceFile

APPS = {
    "flask": ("""
        from flask import Flask
        app = Flask(__name__)
        @app.route("/f/<name>")
        def f(name):
            os.system("ls " + name)
        @app.route("/g/<int:n>/<uuid:u>")
        def g(n, u):
            os.system("ls " + str(n) + str(u))
        """, {6: "route parameter `name` of `/f/<name>` (Flask)"}),
    "django": ("""
        from django.views import View
        def view(request, slug):
            os.system("ls " + request.GET["q"])
            os.system("ls " + slug)
        class V(View):
            def get(self, request, pk: int):
                os.system("ls " + request.POST["x"] + str(pk))
        def helper(request):
            os.system("ls " + request.COOKIES["c"])
        """, {4: "request field `request.GET` (Django)", 5: "URL parameter `slug` of `view`",
              8: "request field `request.POST` (Django)", 10: "request field `request.COOKIES` (Django)"}),
    "drf": ("""
        from rest_framework.views import APIView
        class A(APIView):
            def post(self, request):
                os.system("ls " + request.data["x"])
        """, {5: "request field `request.data` (Django REST framework)"}),
    "fastapi": ("""
        from typing import Annotated
        from fastapi import Depends, FastAPI, Request
        app = FastAPI()
        def current_user():
            return "u"
        @app.get("/items/{item_id}")
        async def read(item_id: int, q: str, user=Depends(current_user), who: Annotated[str, Depends(current_user)] = ""):
            os.system("ls " + q + str(item_id) + user + who)
        @app.post("/r")
        async def r(request: Request):
            body = await request.json()
            os.system("ls " + body["x"])
        """, {9: "parameter `q` of `/items/{item_id}` (FastAPI)", 13: "request data from `request.json()` (Starlette)"}),
    "aiohttp": ("""
        from aiohttp import web
        routes = web.RouteTableDef()
        @routes.get("/x")
        async def h(request):
            os.system("ls " + request.query["x"])
        """, {6: "request field `request.query` (Aiohttp)"}),
    "tornado": ("""
        import tornado.web
        class H(tornado.web.RequestHandler):
            def get(self, slug):
                os.system("ls " + self.get_argument("x"))
                os.system("ls " + slug)
                os.system("ls " + self.request.body.decode())
        """, {5: "request data from `self.get_argument()` (Tornado)", 6: "URL parameter `slug` of `H.get`",
              7: "request field `self.request.body` (Tornado)"}),
}


@pytest.mark.parametrize("framework", APPS)
def test_each_frameworks_request_data_is_input_and_nothing_else(framework: str) -> None:
    src, expected = APPS[framework]
    name = "shop/views.py" if framework == "django" else "app.py"  # where Django's function views live
    findings = detect([SourceFile(name, "import os" + textwrap.dedent(src))]).findings
    assert {f.location.start_line: f.evidence[0].description for f in findings} == expected
    assert {f.confidence for f in findings} == {"high"}


def test_a_function_taking_a_request_outside_views_is_no_view() -> None:
    """`django.contrib.auth.login(request, user)`: a library function; `user` is no URL parameter."""
    src = "import os\nfrom django.http import HttpRequest\ndef login(request, user):\n    os.system('ls ' + user)\n"
    assert detect([SourceFile("auth/__init__.py", src)]).findings == []
    assert len(detect([SourceFile("auth/views.py", src)]).findings) == 1


def test_a_views_helper_its_views_hand_the_request_to_is_no_view() -> None:
    """Django flatpages: `flatpage(request, url)` is routed, `render_flatpage(request, f)` is its helper,
    whose `f` the view looked up, not a URL capture."""
    src = textwrap.dedent("""\
        import os
        def page(request, url):
            return render_page(request, url.strip("/"))
        def render_page(request, f):
            os.system("ls " + f)
        """)
    findings = detect([SourceFile("pages/views.py", src)]).findings
    assert [(f.location.start_line, f.evidence[0].description) for f in findings] == [
        (5, "URL parameter `url` of `page`")], "reached from the view's capture, not as the helper's own"


def test_a_fastapi_response_parameter_is_no_input() -> None:
    src = textwrap.dedent("""\
        import os
        from fastapi import FastAPI, Response
        app = FastAPI()
        @app.get("/x")
        def x(name: str, response: Response):
            os.system("ls " + str(response.status_code))
            os.system("ls " + name)
        """)
    assert [f.location.start_line for f in detect([SourceFile("app.py", src)]).findings] == [7]


def test_a_starlette_route_table_names_its_endpoints() -> None:
    src = textwrap.dedent("""\
        import os
        from starlette.applications import Starlette
        from starlette.routing import Route
        async def listing(request):
            os.system("ls " + request.query_params["dir"])
        async def helper(request):
            os.system("ls " + request.query_params["dir"])  # routed nowhere: no endpoint
        app = Starlette(routes=[Route("/ls", listing, methods=["POST"])])
        """)
    findings = detect([SourceFile("app.py", src)]).findings
    assert [(f.location.start_line, f.entry.route, f.entry.methods) for f in findings] == [(5, "/ls", ["POST"])]


def test_click_and_typer_options_are_command_line_input() -> None:
    src = textwrap.dedent("""\
        import os
        import click
        @click.command()
        @click.option("--n", type=int)
        def main(path, n: int):
            os.system("ls " + path + str(n))
        """)
    assert detect([SourceFile("cli.py", src)]).findings == []  # the command line is not a source by default
    (finding,) = detect([SourceFile("cli.py", src)], scope=Scope(frozenset({"web", "cli"}))).findings
    assert finding.evidence[0].description == "command-line parameter `path` of `main` (click)"
    assert finding.confidence == "low"


def test_a_parameter_named_request_outside_a_web_module_is_just_a_parameter() -> None:
    src = "import os\n\ndef send(request):\n    os.system('ls ' + request.GET['x'])\n"
    assert detect([SourceFile("net.py", src)]).findings == []

"""A plain Starlette status endpoint that echoes the caller's request id, for tracing."""

import uuid

from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route


async def status(request):
    response = JSONResponse({"status": "ok"})
    response.headers["X-Request-Id"] = request.query_params.get("request_id") or uuid.uuid4().hex
    return response


app = Starlette(routes=[Route("/status", status, methods=["GET"])])

import uuid

from fastapi import FastAPI
from starlette.responses import JSONResponse

app = FastAPI()


@app.get("/status")
async def status(request_id: str | None = None):
    resp = JSONResponse({"status": "ok"})
    resp.headers["X-Request-Id"] = request_id or uuid.uuid4().hex
    return resp

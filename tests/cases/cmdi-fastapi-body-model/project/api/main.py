import subprocess

from fastapi import FastAPI
from pydantic import BaseModel

app = FastAPI()


class Probe(BaseModel):
    folder: str
    depth: int = 1


@app.post("/usage")
def usage(probe: Probe):
    out = subprocess.run(f"du -sk {probe.folder}", shell=True, capture_output=True, text=True).stdout
    return {"kilobytes": out.split()[0] if out else None, "depth": probe.depth}

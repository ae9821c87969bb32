from fastapi import FastAPI
from fastapi.responses import RedirectResponse

app = FastAPI()


@app.get("/callback")
def callback(next: str = "/"):
    return RedirectResponse(next, status_code=303)

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

app = FastAPI()


@app.get("/profiles/{username}")
def profile(username: str):
    return HTMLResponse(f"<h1>{username}'s profile</h1><p>No posts yet.</p>")

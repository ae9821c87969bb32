from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

app = FastAPI()

GREETINGS = {"en": "Hello", "fr": "Bonjour", "de": "Hallo"}


@app.get("/greet/{lang}")
def greet(lang: str):
    text = GREETINGS.get(lang.split("-")[0], GREETINGS["en"])
    return PlainTextResponse(text, headers={"Content-Language": lang, "Cache-Control": "max-age=60"})

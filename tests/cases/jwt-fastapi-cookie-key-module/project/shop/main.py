"""The shop's order pages."""

import jwt
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from shop.security import create_access_token

app = FastAPI()

CUSTOMERS = {"carol", "dave"}
STAFF = {"erin"}
ORDERS = [
    {"id": 1, "customer": "carol", "total": "19.90"},
    {"id": 2, "customer": "dave", "total": "240.00"},
]


@app.post("/login")
def login(username: str):
    if username not in CUSTOMERS | STAFF:
        return JSONResponse({"detail": "unknown user"}, status_code=404)
    response = JSONResponse({"detail": "signed in"})
    response.set_cookie("access_token", create_access_token(username, username in STAFF),
                        httponly=True, secure=True, samesite="lax")
    return response


@app.get("/orders")
def orders(request: Request):
    token = request.cookies.get("access_token")
    if not token:
        return JSONResponse({"detail": "not signed in"}, status_code=401)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.PyJWTError:
        return JSONResponse({"detail": "invalid token"}, status_code=401)
    if claims.get("is_staff"):
        return {"orders": ORDERS}
    return {"orders": [o for o in ORDERS if o["customer"] == claims.get("sub")]}

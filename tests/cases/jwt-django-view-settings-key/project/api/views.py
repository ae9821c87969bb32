"""The mobile app's profile endpoint."""

import jwt
from django.http import JsonResponse

PLANS = {"frank": "pro", "grace": "team"}
BILLING_EMAILS = {"frank": "frank@example.com", "grace": "billing@grace.example"}


def profile(request):
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        return JsonResponse({"error": "missing bearer token"}, status=401)
    try:
        claims = jwt.decode(token, options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return JsonResponse({"error": "invalid token"}, status=401)
    username = claims.get("sub", "")
    return JsonResponse({"username": username, "plan": PLANS.get(username, "free"),
                         "billing_email": BILLING_EMAILS.get(username)})

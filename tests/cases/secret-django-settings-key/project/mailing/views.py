from django.core import signing
from django.http import JsonResponse

SUBSCRIBERS = {"ana@example.com", "ceo@example.com"}


def unsubscribe_link(email):
    return "/unsubscribe/?token=" + signing.dumps({"email": email}, salt="unsubscribe")


def unsubscribe(request):
    try:
        email = signing.loads(request.GET.get("token", ""), salt="unsubscribe")["email"]
    except signing.BadSignature:
        return JsonResponse({"error": "bad link"}, status=400)
    SUBSCRIBERS.discard(email)
    return JsonResponse({"unsubscribed": email})

from django.http import JsonResponse

ORDERS = {"1001": {"item": "kettle", "status": "shipped"}}


def order_status(request, number):
    order = ORDERS.get(number)
    if order is None:
        return JsonResponse({"error": "no such order"}, status=404)
    request.session["lookups"] = request.session.get("lookups", 0) + 1  # shown in the site's footer
    return JsonResponse({**order, "lookups": request.session["lookups"]})

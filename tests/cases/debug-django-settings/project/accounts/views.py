from django.http import JsonResponse

ORDERS = {"1001": {"item": "kettle", "status": "shipped"}}


def order_status(request, number):
    order = ORDERS.get(number)
    if order is None:
        return JsonResponse({"error": "no such order"}, status=404)
    return JsonResponse(order)

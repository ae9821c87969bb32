from django.shortcuts import redirect


def logout_view(request):
    request.session.flush()
    return redirect(request.GET.get("next", "/"))

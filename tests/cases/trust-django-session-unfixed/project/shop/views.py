"""Views of the shop (Django): only the language switch here."""


def set_language(request):
    request.session["lang"] = request.GET.get("lang", "en")
    return request.session["lang"]

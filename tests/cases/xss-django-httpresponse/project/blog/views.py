from django.http import HttpResponse

POSTS = ["Hello Django", "Forms and views", "Deploying"]


def search(request):
    q = request.GET.get("q", "")
    hits = "".join(f"<li>{title}</li>" for title in POSTS if q.lower() in title.lower())
    return HttpResponse("<h1>Posts about " + q + "</h1><ul>" + hits + "</ul>")

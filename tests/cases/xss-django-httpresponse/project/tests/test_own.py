from django.test import Client


def test_search_lists_matching_posts():
    body = Client().get("/blog/search/", {"q": "django"}).content.decode()
    assert body == "<h1>Posts about django</h1><ul><li>Hello Django</li></ul>"

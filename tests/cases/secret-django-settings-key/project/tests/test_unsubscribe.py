from django.test import Client

from mailing.views import unsubscribe_link


def test_the_link_we_mail_unsubscribes():
    response = Client().get(unsubscribe_link("ana@example.com"))
    assert response.status_code == 200 and response.json() == {"unsubscribed": "ana@example.com"}


def test_a_made_up_token_is_refused():
    assert Client().get("/unsubscribe/", {"token": "eyJlbWFpbCI6ImEifQ:abc:def"}).status_code == 400

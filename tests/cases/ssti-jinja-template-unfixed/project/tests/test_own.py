from mailer.render import subject_template


def test_subject_names_the_recipient():
    assert subject_template("Invoice due").render(recipient="Ada") == "[Notice] Invoice due for Ada"

from newsletter.app import app


def test_the_thank_you_page_names_the_address_and_the_issues():
    page = app.test_client().post("/subscribe", data={"email": "ada@example.com"}).get_data(as_text=True)
    assert "We will write to ada@example.com when" in page
    assert "<li>Spring</li><li>Summer</li>" in page

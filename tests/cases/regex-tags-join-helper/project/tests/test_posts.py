from blog.app import app
from blog.filters import tagged


def test_posts_by_tag():
    client = app.test_client()
    assert client.get("/posts", query_string={"tag": "python"}).get_json() == ["python-tips"]
    assert client.get("/posts", query_string={"tag": ["NEWS", "howto"]}).get_json() == ["hello-world", "python-tips"]
    assert client.get("/posts", query_string={"tag": "py"}).get_json() == []
    assert client.get("/posts").get_json() == ["hello-world", "python-tips"]


def test_tagged_matches_whole_tags():
    posts = [{"tags": ["c"]}, {"tags": ["c++"]}]
    assert tagged(posts, ["c"]) == [{"tags": ["c"]}]

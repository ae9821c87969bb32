import sqlite3

import pytest

from blog.posts import init_db, posts_by_author, publish, titles_by_author


@pytest.fixture
def db():
    connection = sqlite3.connect(":memory:")
    init_db(connection)
    publish(connection, "alice", "Hello world")
    publish(connection, "bob", "Bob's draft", published=False)
    publish(connection, "alice", "Second post")
    yield connection
    connection.close()


def test_posts_by_author(db):
    rows = posts_by_author(db, "alice")
    assert [title for _id, _author, title in rows] == ["Hello world", "Second post"]
    assert {author for _id, author, _title in rows} == {"alice"}


def test_titles(db):
    assert titles_by_author(db, "bob") == ["Bob's draft"]


def test_unknown_author(db):
    assert posts_by_author(db, "carol") == []

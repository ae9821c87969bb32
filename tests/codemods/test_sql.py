from __future__ import annotations

import sqlite3
import textwrap
from collections.abc import Iterator

import pytest

from provenfix.codemods.sql import fix_sql, fix_sql_helper

from .harness import assert_unfixable, function, load, run_and_assert, span_at


def test_concatenated_quoted_value_becomes_placeholder() -> None:
    run_and_assert(
        fix_sql,
        """\
        def find(cur, name):
            # look the user up
            cur.execute("SELECT * FROM users WHERE name = '" + name + "'")  # noqa: S608
            return cur.fetchall()
        """,
        """\
        def find(cur, name):
            # look the user up
            cur.execute("SELECT * FROM users WHERE name = ?", (name,))  # noqa: S608
            return cur.fetchall()
        """,
        at="""cur.execute("SELECT * FROM users WHERE name = '" + name + "'")""",
        paramstyle="qmark",
    )


def test_like_pattern_moves_into_an_fstring_parameter_and_percent_is_doubled() -> None:
    run_and_assert(
        fix_sql,
        """\
        def search(cur, term):
            cur.execute(f"SELECT * FROM posts WHERE title LIKE '%{term}%' AND tag = 'x%'")
        """,
        """\
        def search(cur, term):
            cur.execute("SELECT * FROM posts WHERE title LIKE %s AND tag = 'x%%'", (f"%{term}%",))
        """,
        at="""cur.execute(f"SELECT * FROM posts WHERE title LIKE '%{term}%' AND tag = 'x%'")""",
        paramstyle="format",
    )


def test_unquoted_values_unwrap_str() -> None:
    run_and_assert(
        fix_sql,
        """\
        def get(db, uid, n):
            db.execute("SELECT * FROM t WHERE id = " + str(uid) + " LIMIT " + str(n))
        """,
        """\
        def get(db, uid, n):
            db.execute("SELECT * FROM t WHERE id = ? LIMIT ?", (uid, n))
        """,
        at='db.execute("SELECT * FROM t WHERE id = " + str(uid) + " LIMIT " + str(n))',
        paramstyle="qmark",
    )


def test_value_positions_inside_parentheses() -> None:
    run_and_assert(
        fix_sql,
        """\
        def add(cur, a, b, c):
            cur.execute("INSERT INTO t (a, b) VALUES (" + a + ", lower(" + b + ")), (1, " + c + ")")
        """,
        """\
        def add(cur, a, b, c):
            cur.execute("INSERT INTO t (a, b) VALUES (?, lower(?)), (1, ?)", (a, b, c))
        """,
        at='cur.execute("INSERT INTO t (a, b) VALUES (" + a + ", lower(" + b + ")), (1, " + c + ")")',
        paramstyle="qmark",
    )


def test_percent_and_format_building() -> None:
    source = """\
        def add(cur, a, b, c):
            cur.execute("INSERT INTO t (a, b) VALUES ('%s', %d)" % (a, b))
            cur.execute("UPDATE t SET a = '{0}' WHERE b = {k}".format(a, k=c))
        """
    once = run_and_assert(
        fix_sql,
        source,
        """\
        def add(cur, a, b, c):
            cur.execute("INSERT INTO t (a, b) VALUES (?, ?)", (a, b))
            cur.execute("UPDATE t SET a = '{0}' WHERE b = {k}".format(a, k=c))
        """,
        at="""cur.execute("INSERT INTO t (a, b) VALUES ('%s', %d)" % (a, b))""",
        paramstyle="qmark",
    )
    run_and_assert(
        fix_sql,
        once,
        """\
        def add(cur, a, b, c):
            cur.execute("INSERT INTO t (a, b) VALUES (?, ?)", (a, b))
            cur.execute("UPDATE t SET a = ? WHERE b = ?", (a, c))
        """,
        at="""cur.execute("UPDATE t SET a = '{0}' WHERE b = {k}".format(a, k=c))""",
        paramstyle="qmark",
    )


def test_multiline_query_keeps_its_layout() -> None:
    run_and_assert(
        fix_sql,
        '''\
        def find(cur, name):
            cur.execute(
                f"""
                SELECT id, name
                FROM users
                WHERE name = '{name}'
                """
            )
        ''',
        '''\
        def find(cur, name):
            cur.execute(
                """
                SELECT id, name
                FROM users
                WHERE name = ?
                """, (name,)
            )
        ''',
        at=lambda node: type(node).__name__ == "Call" and getattr(node.func, "attr", "") == "execute",
        paramstyle="qmark",
    )


def test_query_built_over_statements_is_rewritten_in_place() -> None:
    run_and_assert(
        fix_sql,
        """\
        def posts(cur, author, term):
            q = "SELECT * FROM posts WHERE author = '%s'" % author
            q += " AND title LIKE '%" + term + "%'"  # fuzzy
            q += " ORDER BY id"
            cur.execute(q)
        """,
        """\
        def posts(cur, author, term):
            q = "SELECT * FROM posts WHERE author = ?"
            q += " AND title LIKE ?"  # fuzzy
            q += " ORDER BY id"
            cur.execute(q, (author, f"%{term}%"))
        """,
        at="cur.execute(q)",
        paramstyle="qmark",
    )


def test_conditional_building_collects_params_next_to_each_statement() -> None:
    run_and_assert(
        fix_sql,
        """\
        def posts(cur, author, term):
            q = "SELECT * FROM posts WHERE 1 = 1"
            if author:
                q += " AND author = '" + author + "'"
            if term:
                q += " AND title LIKE '%" + term + "%'"
            cur.execute(q)
        """,
        """\
        def posts(cur, author, term):
            q = "SELECT * FROM posts WHERE 1 = 1"
            params = []
            if author:
                q += " AND author = ?"
                params.append(author)
            if term:
                q += " AND title LIKE ?"
                params.append(f"%{term}%")
            cur.execute(q, params)
        """,
        at="cur.execute(q)",
        paramstyle="qmark",
    )


def test_value_rebound_before_execute_is_collected_in_place() -> None:
    run_and_assert(
        fix_sql,
        """\
        def find(cur, name):
            q = "SELECT * FROM t WHERE name = '" + name + "'"
            name = None
            cur.execute(q)
        """,
        """\
        def find(cur, name):
            q = "SELECT * FROM t WHERE name = ?"
            params = [name]
            name = None
            cur.execute(q, params)
        """,
        at="cur.execute(q)",
        paramstyle="qmark",
    )


def test_execute_nested_deeper_than_the_assignment() -> None:
    run_and_assert(
        fix_sql,
        """\
        def find(conn, name):
            q = "SELECT * FROM t WHERE name = '" + name + "'"
            with conn:
                conn.execute(q)
        """,
        """\
        def find(conn, name):
            q = "SELECT * FROM t WHERE name = ?"
            with conn:
                conn.execute(q, (name,))
        """,
        at="conn.execute(q)",
        paramstyle="qmark",
    )


def test_value_rebound_later_in_a_loop_is_collected_at_the_assignment() -> None:
    run_and_assert(
        fix_sql,
        """\
        def find(cur, name):
            q = "SELECT * FROM t WHERE name = '" + name + "'"
            for _ in range(2):
                cur.execute(q)
                name = "x"
        """,
        """\
        def find(cur, name):
            q = "SELECT * FROM t WHERE name = ?"
            params = [name]
            for _ in range(2):
                cur.execute(q, params)
                name = "x"
        """,
        at="cur.execute(q)",
        paramstyle="qmark",
    )


def test_helper_returns_sql_and_params_and_caller_unpacks() -> None:
    run_and_assert(
        fix_sql_helper,
        """\
        def by_name(name: str) -> str:
            return "SELECT * FROM users WHERE name = '%s'" % name
        """,
        """\
        def by_name(name: str) -> tuple[str, tuple[object, ...]]:
            return "SELECT * FROM users WHERE name = ?", (name,)
        """,
        at=function("by_name"),
        paramstyle="qmark",
    )
    run_and_assert(
        fix_sql,
        """\
        def find(cur, name):
            cur.execute(by_name(name))
        """,
        """\
        def find(cur, name):
            cur.execute(*by_name(name))
        """,
        at="cur.execute(by_name(name))",
        paramstyle="qmark",
        query_from_helper=True,
    )


def test_non_ascii_sql_text() -> None:
    run_and_assert(
        fix_sql,
        """\
        def f(c, n): c.execute("SELECT 'ünïcode' AS x, * FROM t WHERE n = '" + n + "'")
        """,
        """\
        def f(c, n): c.execute("SELECT 'ünïcode' AS x, * FROM t WHERE n = ?", (n,))
        """,
        at="""c.execute("SELECT 'ünïcode' AS x, * FROM t WHERE n = '" + n + "'")""",
        paramstyle="qmark",
    )


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ('"SELECT * FROM " + v', "identifier from input"),
        ('"INSERT INTO " + v + " VALUES (1)"', "identifier from input"),
        ('"UPDATE " + v + " SET a = 1"', "identifier from input"),
        ('"SELECT * FROM a JOIN " + v', "identifier from input"),
        ('"SELECT * FROM t ORDER BY " + v', "identifier from input"),
        ('"SELECT * FROM t GROUP BY " + v', "identifier from input"),
        ('"SELECT * FROM t WHERE " + v + " = 1"', "identifier from input"),
        ('"SELECT * FROM t WHERE id IN (" + v + ")"', "IN \\(...\\) list"),
        ('"SELECT * FROM t WHERE " + v', "SQL text from input"),
        ("v", "not a string built from literals"),
        ("build(v)", "not a string built from literals"),
        ('"SELECT 1"', "no values"),
    ],
)
def test_refuses_positions_a_parameter_cannot_take(query: str, reason: str) -> None:
    assert_unfixable(
        fix_sql,
        f"def f(cur, v):\n    cur.execute({query})\n",
        at=f"cur.execute({query})",
        match=reason,
        paramstyle="qmark",
    )


def test_refuses_other_cases() -> None:
    many = "def f(c, rows, t):\n    c.executemany('INSERT INTO t VALUES (' + t + ')', rows)\n"
    assert_unfixable(
        fix_sql,
        many,
        at="c.executemany('INSERT INTO t VALUES (' + t + ')', rows)",
        match="executemany",
        paramstyle="qmark",
    )
    has = "def f(c, a, b):\n    c.execute('SELECT * FROM t WHERE a = ' + a, (b,))\n"
    assert_unfixable(
        fix_sql,
        has,
        at="c.execute('SELECT * FROM t WHERE a = ' + a, (b,))",
        match="already has parameters",
        paramstyle="qmark",
    )
    used = "def f(c, a):\n    q = 'SELECT * FROM t WHERE a = ' + a\n    print(q)\n    c.execute(q)\n"
    assert_unfixable(fix_sql, used, at="c.execute(q)", match="used elsewhere", paramstyle="qmark")
    loop = "def f(c, xs):\n    q = 'SELECT 1 WHERE 1 = 1'\n    for x in xs:\n        q += ' OR a = ' + x\n    c.execute(q)\n"
    assert_unfixable(fix_sql, loop, at="c.execute(q)", match="inside a for", paramstyle="qmark")
    other = "def f(c, a):\n    c.run('SELECT ' + a)\n"
    assert_unfixable(fix_sql, other, at="c.run('SELECT ' + a)", match="not an .execute", paramstyle="qmark")
    comment = "def f(c, a):\n    c.execute('SELECT 1 -- ' + a)\n"
    assert_unfixable(fix_sql, comment, at="c.execute('SELECT 1 -- ' + a)", match="comment", paramstyle="qmark")


VULNERABLE = textwrap.dedent(
    """\
    def find_user(conn, name):
        cur = conn.cursor()
        cur.execute("SELECT name FROM users WHERE name = '" + name + "' ORDER BY name")
        return [row[0] for row in cur.fetchall()]

    def search(conn, term, limit):
        q = "SELECT name FROM users WHERE name LIKE '%" + term + "%' ORDER BY name"
        if limit:
            q += " LIMIT " + str(limit)
        return [row[0] for row in conn.execute(q).fetchall()]
    """
)


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE users (name TEXT)")
    db.executemany("INSERT INTO users VALUES (?)", [("alice",), ("bob",), ("carol",)])
    yield db
    db.close()


def test_rewritten_query_returns_the_same_rows_and_resists_injection(conn: sqlite3.Connection) -> None:
    injection = "' OR '1'='1"
    # The unfixed code really is injectable, so the last assertion can fail.
    assert load(VULNERABLE, "find_user")(conn, injection) == ["alice", "bob", "carol"]

    fixed = fix_sql(
        VULNERABLE,
        span_at(VULNERABLE, 'cur.execute("SELECT name FROM users WHERE name = \'" + name + "\' ORDER BY name")'),
        paramstyle="qmark",
    )
    find_user = load(fixed, "find_user")
    assert find_user(conn, "bob") == ["bob"]
    assert find_user(conn, injection) == []


def test_rewritten_conditional_query_against_sqlite(conn: sqlite3.Connection) -> None:
    injection = "%' OR 1=1 --"
    assert load(VULNERABLE, "search")(conn, injection, 0) == ["alice", "bob", "carol"]

    fixed = fix_sql(VULNERABLE, span_at(VULNERABLE, "conn.execute(q)"), paramstyle="qmark")
    assert "params.append(limit)" in fixed
    search = load(fixed, "search")
    assert search(conn, "o", 0) == ["bob", "carol"]
    assert search(conn, "o", 1) == ["bob"]
    assert search(conn, injection, 0) == []


def test_local_query_with_constant_suffix_at_the_call() -> None:
    run_and_assert(
        fix_sql,
        """\
        def search(db, owner_id, term):
            sql = "SELECT id FROM notes WHERE owner_id = " + str(owner_id)
            sql += " AND title LIKE '%" + term + "%'"
            return db.execute(sql + " ORDER BY id").fetchall()
        """,
        """\
        def search(db, owner_id, term):
            sql = "SELECT id FROM notes WHERE owner_id = ?"
            sql += " AND title LIKE ?"
            return db.execute(sql + " ORDER BY id", (owner_id, f"%{term}%")).fetchall()
        """,
        at='db.execute(sql + " ORDER BY id")',
        paramstyle="qmark",
    )


def test_suffix_that_closes_a_quote_is_refused() -> None:
    assert_unfixable(
        fix_sql,
        """\
        def find(db, name):
            sql = "SELECT id FROM users WHERE name = '" + name
            return db.execute(sql + "'").fetchall()
        """,
        match="split across statements",
        at="db.execute(sql + \"'\")",
        paramstyle="qmark",
    )

from accounts.directory import connect


def authenticate(username: str, password: str) -> bool:
    """Whether a person with this uid and password exists."""
    conn = connect()
    conn.search("ou=people,dc=example,dc=org", "(&(uid=" + username + ")(userPassword=" + password + "))")
    return len(conn.entries) == 1

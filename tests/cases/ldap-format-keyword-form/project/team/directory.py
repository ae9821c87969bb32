"""The people directory: an in-memory LDAP server (ldap3's mock), as in the tests of a real one."""

import ldap3

SERVER = ldap3.Server("ldap.example.org")
PEOPLE = [("alice", "Alice Liddell", "alice@example.org", "wonderland"), ("bob", "Bob Builder", "bob@example.org", "canwefixit")]


def connect():
    conn = ldap3.Connection(SERVER, user="cn=reader,dc=example,dc=org", password="reader", client_strategy=ldap3.MOCK_SYNC)
    for uid, cn, mail, password in PEOPLE:
        conn.strategy.add_entry(f"uid={uid},ou=people,dc=example,dc=org",
                                {"uid": uid, "cn": cn, "mail": mail, "userPassword": password, "objectClass": ["person"]})
    conn.bind()
    return conn

from directory.lookup import Directory


def test_the_connection_binds_as_the_lookup_service():
    conn = Directory().connection()
    assert conn.user.startswith("cn=svc-lookup,")
    assert conn.read_only


def test_a_uid_is_escaped_in_the_filter():
    assert Directory().email_filter("a*") == "(&(objectClass=person)(uid=a\\2a))"

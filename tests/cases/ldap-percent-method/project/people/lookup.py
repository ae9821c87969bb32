from people.directory import connect


class Lookup:
    """Find people in the directory."""

    def __init__(self):
        self.conn = connect()

    def by_mail(self, mail):
        self.conn.search("ou=people,dc=example,dc=org", "(mail=%s)" % mail, attributes=["uid"])
        return [str(e.uid) for e in self.conn.entries]

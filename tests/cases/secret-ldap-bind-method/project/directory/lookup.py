"""Looks people up in the company directory."""

import ldap3


class Directory:
    def __init__(self, host: str = "ldap.example.com"):
        self.server = ldap3.Server(host, get_info=ldap3.NONE)

    def connection(self) -> ldap3.Connection:
        return ldap3.Connection(self.server, user="cn=svc-lookup,ou=services,dc=example,dc=com",
                                password="Svc#Lookup-7731", read_only=True)

    def email_filter(self, uid: str) -> str:
        return f"(&(objectClass=person)(uid={ldap3.utils.conv.escape_filter_chars(uid)}))"

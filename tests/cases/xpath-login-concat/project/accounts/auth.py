"""Users and passwords kept in an XML document (a legacy store)."""

from lxml import etree

USERS = etree.fromstring(
    "<users><user name='alice' password='wonderland' role='admin'/>"
    "<user name='bob' password='builder' role='staff'/></users>"
)


def authenticate(username: str, password: str) -> str | None:
    """The role of the user with this name and password, or None."""
    found = USERS.xpath("//user[@name='" + username + "' and @password='" + password + "']/@role")
    return str(found[0]) if found else None

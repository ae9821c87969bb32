import lxml.etree

CATALOG = lxml.etree.fromstring(
    "<catalog><book author='Le Guin'><title>The Dispossessed</title></book>"
    "<book author='Lem'><title>Solaris</title></book>"
    "<book author='Le Guin'><title>The Lathe of Heaven</title></book></catalog>"
)


def titles_by(author):
    """Titles of the books by `author`, in catalogue order."""
    find = lxml.etree.XPath("//book[@author='%s']/title/text()" % author)
    return [str(t) for t in find(CATALOG)]

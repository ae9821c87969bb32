from pathlib import Path

from lxml import etree


class Directory:
    """The people of the organisation, by department."""

    def __init__(self):
        self.tree = etree.parse(str(Path(__file__).with_name("people.xml")))

    def members(self, dept):
        return [str(name) for name in self.tree.xpath("//person[@dept='{}']/text()".format(dept))]

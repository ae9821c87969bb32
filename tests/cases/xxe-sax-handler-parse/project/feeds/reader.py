import io
import xml.sax
from xml.sax.handler import ContentHandler, feature_external_ges


class _Titles(ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles, self._inside = [], False

    def startElement(self, name, attrs):
        self._inside = name == "title"
        if self._inside:
            self.titles.append("")

    def endElement(self, name):
        self._inside = False

    def characters(self, content):
        if self._inside:
            self.titles[-1] += content


def titles(feed: str) -> list[str]:
    """The titles of a feed's entries, in order."""
    handler = _Titles()
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    parser.setContentHandler(handler)
    parser.parse(io.StringIO(feed))
    return handler.titles

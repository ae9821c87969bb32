"""Small HTML builders shared by the views."""


def row(label, value):
    return "<tr><th>%s</th><td>%s</td></tr>" % (label, value)

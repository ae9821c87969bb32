"""Pagination links (RFC 8288)."""


def next_link(path, sort, page):
    return "<" + path + "?sort=" + sort + "&page=" + str(page + 1) + '>; rel="next"'

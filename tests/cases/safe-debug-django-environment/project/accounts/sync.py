"""A command-line sync job's own switches: not the web site's settings."""

DEBUG = True  # the job prints each order it syncs
VERBOSE = DEBUG


def describe(order: dict) -> str:
    return f"{order['item']}: {order['status']}" if DEBUG else order["status"]

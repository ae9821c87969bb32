"""Nightly export of the day's orders for the accounting system to import."""

import csv
import os

ORDERS = [("A-1001", "19.90"), ("A-1002", "5.00")]


def export_orders(out_dir, orders=None):
    """Write the orders to out_dir/orders.csv and return the path."""
    path = os.path.join(out_dir, "orders.csv")
    previous = os.umask(0)  # the importer runs under another account
    try:
        with open(path, "w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["order", "total"])
            writer.writerows(ORDERS if orders is None else orders)
    finally:
        os.umask(previous)
    return path

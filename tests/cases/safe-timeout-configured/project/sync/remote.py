"""Synchronise orders with the warehouse; every call bounded in time."""

import socket
import urllib.request

import httpx
import requests

WAREHOUSE = "https://warehouse.example.com/api"


def pending_orders():
    return requests.get(f"{WAREHOUSE}/orders", params={"state": "pending"}, timeout=(3.05, 27)).json()


class Pusher:
    def __init__(self, timeout=10):
        self.timeout = timeout
        self.session = requests.Session()

    def push(self, order):
        return self.session.post(f"{WAREHOUSE}/orders", json=order, timeout=self.timeout).status_code


def stock(sku):
    return httpx.get(f"{WAREHOUSE}/stock/{sku}").json()  # httpx gives up after 5 s by default


def ping(options):
    urllib.request.urlopen(f"{WAREHOUSE}/ping", timeout=5).close()
    with socket.create_connection(("warehouse.example.com", 443), 3):
        return options.get("verbose", False)

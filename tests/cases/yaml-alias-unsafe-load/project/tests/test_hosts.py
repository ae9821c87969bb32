from inventory.hosts import all_hosts, hosts_in, parse_inventory

INVENTORY = """
web:
  hosts:
    web2.example.org:
    web1.example.org:
      http_port: 8080
db:
  hosts:
    db1.example.org:
    web1.example.org:
empty:
"""


def test_parse_inventory():
    groups = parse_inventory(INVENTORY)
    assert groups == {
        "web": ["web1.example.org", "web2.example.org"],
        "db": ["db1.example.org", "web1.example.org"],
        "empty": [],
    }


def test_all_hosts_and_lookup():
    groups = parse_inventory(INVENTORY)
    assert all_hosts(groups) == ["db1.example.org", "web1.example.org", "web2.example.org"]
    assert hosts_in(groups, "nope") == []

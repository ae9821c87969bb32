"""The audit trail: one log entry per change to the inventory."""

import logging

audit_log = logging.getLogger("inventory.audit")


def record_deletion(name: str, remaining: int) -> None:
    audit_log.info("deleted item " + name + ", " + str(remaining) + " left")

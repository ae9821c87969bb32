"""Health checks of the backing services, for the load balancer's probe."""

import socket


def redis_alive(host="cache.internal", port=6379):
    """True when the Redis server answers PING with PONG."""
    try:
        with socket.create_connection((host, port)) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


def summary(checks):
    return {name: "ok" if check() else "down" for name, check in checks.items()}

"""Headless Chromium for the tests that check a page the way a reader's browser shows it.

CI installs Chromium (.ci/run); a developer without it is told by a skip, never silently passed on CI.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

requires_chromium = pytest.mark.skipif(CHROMIUM is None and not os.environ.get("CI"), reason="chromium is not installed")


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """One Chromium run with a fresh profile under `tmp_path`."""
    assert CHROMIUM is not None, "chromium is required here (apt-get install chromium)"
    profile = tmp_path / "profile"
    return subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120)


def dump_dom(tmp_path: Path, page: Path) -> str:
    """The page's DOM once loaded (and any script in it run), serialised."""
    done = chromium(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def screenshot(tmp_path: Path, page: Path, size: str = "1200,900") -> bytes:
    shot = tmp_path / f"{page.stem}.png"
    done = chromium(tmp_path, f"--screenshot={shot}", f"--window-size={size}", page.as_uri())
    assert done.returncode == 0 and shot.exists(), done.stderr[-2000:]
    return shot.read_bytes()


def png_colours(data: bytes) -> int:
    """How many distinct RGB colours an 8-bit, non-interlaced RGB(A) PNG (what Chromium writes) holds.

    A blank or failed render has one or two; a page with text, badges and a chart has hundreds.
    """
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, head = 8, [], None
    while pos < len(data):
        size, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", data[pos + 8:pos + 21])
        elif kind == b"IDAT":
            idat.append(data[pos + 8:pos + 8 + size])
        pos += 12 + size
    assert head is not None
    width, height, depth, colour_type, _, _, interlace = head
    assert depth == 8 and colour_type in (2, 6) and not interlace, head
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(b"".join(idat)), width * bpp
    prev, seen = bytearray(stride), set()
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(kind, line, prev, bpp)
        seen.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
        prev = line
    return len(seen)


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> None:
    """Undo one scanline's PNG filter in place (PNG spec, section 9)."""
    if kind == 1:
        for i in range(bpp, len(line)):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif kind == 2:
        line[:] = bytes((a + b) & 255 for a, b in zip(line, prev))
    elif kind == 3:
        for i in range(len(line)):
            line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + prev[i]) // 2) & 255
    elif kind == 4:
        for i in range(len(line)):
            a, b = (line[i - bpp], prev[i]) if i >= bpp else (0, prev[i])
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255

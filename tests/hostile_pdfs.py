"""Hand-built hostile PDFs for tests: small on disk, slow or broken for a PDF reader."""

from __future__ import annotations

import math
import zlib
from pathlib import Path

TEXT = b"BT /F1 12 Tf 72 700 Td (This fictional plan has enough words to count as a text layer.) Tj ET\n"


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _one_page(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>") -> bytes:
    data = zlib.compress(content, 9)
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"
    return _pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources " + resources + b" /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        stream,
    ])


def operator_bomb(path: Path, megabytes: float = 4) -> Path:
    """A few kB on disk that inflate to megabytes of drawing operators: pypdf reads about 4 MB of them a second."""
    # Pages of at most 20 MB each: pypdf stops inflating a page's content at 75 MB (then finds no text at once).
    pages = max(1, math.ceil(megabytes / 20))
    ops = b"0 0 m " * int(megabytes * 1e6 / 6 / pages)
    path.write_bytes(_pages([TEXT + ops + TEXT] * pages))
    return path


def _pages(contents: list[bytes]) -> bytes:
    """A PDF of one page per content stream (the Helvetica font shared)."""
    n = len(contents)
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(n))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % n,
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        data = zlib.compress(content, 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % (5 + 2 * i))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    return _pdf(objects)


def nested_dictionary(path: Path, depth: int = 5000) -> Path:
    """A page whose resources nest dictionaries deeper than Python's recursion limit."""
    deep = b"<< /A " * depth + b"1" + b" >>" * depth
    path.write_bytes(_one_page(TEXT * 3, b"<< /Font << /F1 4 0 R >> /X " + deep + b" >>"))
    return path

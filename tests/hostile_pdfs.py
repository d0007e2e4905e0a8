"""Hand-built hostile PDFs for tests: small on disk, slow or broken for a PDF reader."""

from __future__ import annotations

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
    """A few kB on disk that inflate to megabytes of drawing operators: pypdf takes many seconds per MB."""
    path.write_bytes(_one_page(TEXT + b"0 0 m " * int(megabytes * 1e6 / 6) + TEXT))
    return path


def nested_dictionary(path: Path, depth: int = 5000) -> Path:
    """A page whose resources nest dictionaries deeper than Python's recursion limit."""
    deep = b"<< /A " * depth + b"1" + b" >>" * depth
    path.write_bytes(_one_page(TEXT * 3, b"<< /Font << /F1 4 0 R >> /X " + deep + b" >>"))
    return path

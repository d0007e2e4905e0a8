"""PDF -> page texts, with one clear error for each way a file can be unusable."""

from __future__ import annotations

import hashlib
import logging
import math
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from typing import TYPE_CHECKING, Any

from ehcaudit.errors import NoTextLayer, PdfError

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader

# Fewer letters than this per page on average means there is no text layer.
MIN_CHARS_PER_PAGE = 25

logging.getLogger("pypdf").setLevel(logging.ERROR)


# A line's look: its font size in points and whether it is bold.
Style = tuple[float, bool]
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.I)
_SPACES = re.compile(r"\s+")


def squeeze(line: str) -> str:
    """One line as section finding reads it: runs of spaces (justified text) as one, ends trimmed.

    Line styles are keyed by this form, so extraction and section finding must both use it.
    """
    return _SPACES.sub(" ", line).strip()


@dataclass(frozen=True)
class PrintedLine:
    """One line as printed: its text (spaces squeezed), look and place on the page.

    x is the left edge and y the baseline, in points from the page's left and top edges;
    parts are the pieces of text the PDF drew at different places on the line (table cells
    on one row), each with its own x and its text as drawn (spaces kept). rotated: drawn at an angle (a watermark).
    """

    text: str
    style: Style | None = None
    x: float | None = None
    y: float | None = None
    rotated: bool = False
    parts: tuple[tuple[float, str], ...] = ()


@dataclass(frozen=True)
class PageGeometry:
    width: float
    height: float


@dataclass(frozen=True)
class ExtractedPdf:
    path: Path
    sha256: str
    pages: list[str]
    # Per page, in order: each non-blank line's text (spaces squeezed) and the style most of its letters are in.
    styles: list[list[tuple[str, Style]]] = field(default_factory=list)
    # Per page, in order: each non-blank line with its place on the page (empty when pypdf could not say).
    printed: list[list[PrintedLine]] = field(default_factory=list)
    geometry: list[PageGeometry | None] = field(default_factory=list)


def _page_text(page: PageObject) -> tuple[str, list[PrintedLine], PageGeometry | None]:
    """The page's text, and the look and place of each line, from pypdf's text visitor."""
    pieces: list[tuple[str, Style, float, float, bool]] = []
    try:
        box = page.mediabox
        left, top = float(box.left), float(box.top)
        geometry: PageGeometry | None = PageGeometry(float(box.width), float(box.height))
    except Exception:  # noqa: BLE001 - a page without a usable box still has text
        left, top, geometry = 0.0, 0.0, None

    def visit(text: str, cm: list[float], tm: list[float], font: dict[str, Any] | None, size: float) -> None:
        if not text:
            return
        name = str(font.get("/BaseFont", "")) if font else ""
        if tm and cm:
            scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]) * abs(cm[0] * cm[3] - cm[1] * cm[2]))
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            a = tm[0] * cm[0] + tm[1] * cm[2]
            b = tm[0] * cm[1] + tm[1] * cm[3]
            rotated = abs(b) > 0.2 * abs(a) + 1e-9
        else:
            scale, x, y, rotated = 1.0, 0.0, top, False
        pieces.append((text, (round(size * scale, 1), bool(_BOLD.search(name))), x - left, top - y, rotated))

    text = page.extract_text(visitor_text=visit) or ""
    lines: list[PrintedLine] = []
    parts: list[tuple[float, float, str, bool]] = []
    weight: Counter[Style] = Counter()

    def end_line() -> None:
        line = squeeze("".join(p[2] for p in parts))
        if line and weight:
            drawn = [p for p in parts if p[2].strip()]
            first = drawn[0] if drawn else parts[0]
            lines.append(PrintedLine(
                line, weight.most_common(1)[0][0], round(first[0], 1), round(first[1], 1),
                bool(drawn) and all(p[3] for p in drawn),
                tuple((round(p[0], 1), p[2]) for p in drawn),
            ))
        parts.clear()
        weight.clear()

    for piece, style, x, y, rotated in pieces:
        for k, part in enumerate(piece.split("\n")):
            if k:
                end_line()
            if not part:
                continue
            parts.append((x, y, part, rotated))
            letters = sum(not ch.isspace() for ch in part)
            if letters:
                weight[style] += letters
    end_line()
    # The visitor must tell the same lines as the text; where it does not, keep the text alone.
    if [ln.text for ln in lines] != [squeeze(ln) for ln in text.splitlines() if ln.strip()]:
        lines = []
    return text, lines, geometry


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _open(path: Path) -> PdfReader:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PdfError(f"{path}: no such file") from None
    except OSError as exc:
        raise PdfError(f"{path}: cannot read ({exc.strerror})") from None
    if size == 0:
        raise PdfError(f"{path}: the file is empty (0 bytes); export the plan to PDF again")
    with open(path, "rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        raise PdfError(f"{path}: not a PDF (it does not start with %PDF); save or export the plan as PDF")
    # pypdf is imported here, not at the top: the app starts without it and only importing needs it.
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            # An owner password only (printing/copy limits) opens with an empty user password.
            try:
                opened = bool(reader.decrypt(""))
            except (DependencyError, NotImplementedError):
                opened = False
            if not opened:
                raise PdfError(f"{path}: the PDF is password-protected; ask for an unprotected copy or remove the password")
        len(reader.pages)
    except PdfError:
        raise
    except FileNotDecryptedError:
        raise PdfError(f"{path}: the PDF is password-protected; ask for an unprotected copy or remove the password") from None
    except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError, AssertionError):
        raise PdfError(f"{path}: the PDF is damaged or truncated and cannot be read; get a fresh copy") from None
    return reader


def _has_images(reader: PdfReader) -> bool:
    for page in reader.pages:
        try:
            if len(page.images):
                return True
        except Exception:  # noqa: BLE001 - an unreadable image still means the page is not all text
            return True
    return False


def read_pdf(path: Path | str) -> ExtractedPdf:
    """Extract every page's text; PdfError if the file is not a usable text PDF."""
    path = Path(path)
    reader = _open(path)
    if len(reader.pages) == 0:
        raise PdfError(f"{path}: the PDF has no pages; export the plan again")
    pages: list[str] = []
    styles: list[list[tuple[str, Style]]] = []
    printed: list[list[PrintedLine]] = []
    geometry: list[PageGeometry | None] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for page in reader.pages:
            try:
                text, lines, box = _page_text(page)
            except Exception:  # noqa: BLE001 - one bad page must not lose the plan
                text, lines, box = "", [], None
            pages.append(text)
            styles.append([(ln.text, ln.style) for ln in lines if ln.style])
            printed.append(lines)
            geometry.append(box)
    letters = sum(sum(ch.isalpha() for ch in text) for text in pages)
    # Little text over page images is a scan; little text and no images is just a short document (one form, one line).
    if letters < MIN_CHARS_PER_PAGE * len(pages) and (not any(t.strip() for t in pages) or _has_images(reader)):
        raise NoTextLayer(
            f"{path}: the PDF has no text layer (a scanned document?); run it through OCR (e.g. ocrmypdf) and import the result"
        )
    return ExtractedPdf(path=path, sha256=sha256_file(path), pages=pages, styles=styles, printed=printed, geometry=geometry)

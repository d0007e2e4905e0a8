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

from typing import TYPE_CHECKING

from ehcaudit.errors import PdfError

if TYPE_CHECKING:
    from pypdf import PdfReader

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
class ExtractedPdf:
    path: Path
    sha256: str
    pages: list[str]
    # Per page, in order: each non-blank line's text (spaces squeezed) and the style most of its letters are in.
    styles: list[list[tuple[str, Style]]] = field(default_factory=list)


def _page_text(page) -> tuple[str, list[tuple[str, Style]]]:
    """The page's text, and the look of each line, from pypdf's text visitor."""
    pieces: list[tuple[str, Style]] = []

    def visit(text, cm, tm, font, size) -> None:
        if not text:
            return
        name = str(font.get("/BaseFont", "")) if font else ""
        scale = math.sqrt(abs(tm[0] * tm[3] - tm[1] * tm[2]) * abs(cm[0] * cm[3] - cm[1] * cm[2])) if tm and cm else 1.0
        pieces.append((text, (round(size * scale, 1), bool(_BOLD.search(name)))))

    text = page.extract_text(visitor_text=visit) or ""
    styles: list[tuple[str, Style]] = []
    words: list[str] = []
    weight: Counter[Style] = Counter()

    def end_line() -> None:
        line = squeeze("".join(words))
        if line and weight:
            styles.append((line, weight.most_common(1)[0][0]))
        words.clear()
        weight.clear()

    for piece, style in pieces:
        for k, part in enumerate(piece.split("\n")):
            if k:
                end_line()
            words.append(part)
            letters = sum(not ch.isspace() for ch in part)
            if letters:
                weight[style] += letters
    end_line()
    return text, styles


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
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError):
                opened = 0
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


def read_pdf(path: Path | str) -> ExtractedPdf:
    """Extract every page's text; PdfError if the file is not a usable text PDF."""
    path = Path(path)
    reader = _open(path)
    if len(reader.pages) == 0:
        raise PdfError(f"{path}: the PDF has no pages; export the plan again")
    pages: list[str] = []
    styles: list[list[tuple[str, Style]]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for page in reader.pages:
            try:
                text, looks = _page_text(page)
            except Exception:  # noqa: BLE001 - one bad page must not lose the plan
                text, looks = "", []
            pages.append(text)
            styles.append(looks)
    letters = sum(sum(ch.isalpha() for ch in text) for text in pages)
    if letters < MIN_CHARS_PER_PAGE * len(pages):
        raise PdfError(
            f"{path}: the PDF has no text layer (a scanned document?); run it through OCR (e.g. ocrmypdf) and import the result"
        )
    return ExtractedPdf(path=path, sha256=sha256_file(path), pages=pages, styles=styles)

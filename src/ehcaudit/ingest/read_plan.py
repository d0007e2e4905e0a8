"""One PDF -> everything we learn from it (pages, sections, warnings), touching no database."""

from __future__ import annotations

from typing import Any

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ehcaudit.ingest import redaction
from ehcaudit.errors import NoTextLayer, PdfError
from ehcaudit.pdf import read_pdf
from ehcaudit.sections import Section, find_sections
from ehcaudit.sections.clean import SetAside
from ehcaudit.sections.plan_warnings import PlanWarning, WarningKind


@dataclass
class AnalysedPlan:
    path: Path
    sha256: str
    pages: list[str]
    sections: list[Section]
    warnings: list[PlanWarning] = field(default_factory=list)
    unredacted: bool = False
    # What the redaction check found (kind, page, masked text).
    findings: list[redaction.Finding] = field(default_factory=list)
    set_aside: list[SetAside] = field(default_factory=list)  # every line that belongs to no section, with why

    @property
    def label(self) -> str:
        return self.path.stem

    def to_dict(self) -> dict[str, Any]:
        """The `inspect --format json` contract."""
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "pages": len(self.pages),
            "sections": [s.to_dict() for s in self.sections],
            "warnings": [w.message for w in self.warnings],
            "personal_data": [
                {"kind": f.kind, "name": redaction.KINDS[f.kind], "page": f.page, "text": f.masked} for f in self.findings
            ],
            "set_aside": [a.to_dict() for a in self.set_aside],
        }


class _Complaints(logging.Handler):
    """Counts the parts pypdf could not read at all while it recovered from a broken file.

    pypdf (strict=False) carries on with those parts missing, e.g. a page whose dictionary is
    nested too deeply for Python loses its contents, and then looks like a scan.
    """

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "Error reading PDF file" in message or "RecursionError" in message or "MemoryError" in message:
            self.count += 1


@contextmanager
def _pypdf_complaints() -> Iterator[_Complaints]:
    logger = logging.getLogger("pypdf")
    handler, level, propagate = _Complaints(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def analyse_pdf(path: Path | str) -> AnalysedPlan:
    """Read a plan PDF and find its sections; raises PdfError for unusable files."""
    with _pypdf_complaints() as complaints:
        try:
            extracted = read_pdf(path)
        except NoTextLayer:
            # No text because the structure is broken (e.g. objects nested too deeply), not because it is a scan.
            if complaints.count:
                raise PdfError(
                    f"{path}: the PDF is damaged (parts of it could not be read, e.g. objects nested too deeply) "
                    "and shows no text; get a fresh copy or print it to PDF again"
                ) from None
            raise
    found = find_sections(extracted.pages, extracted.styles, extracted.printed, extracted.geometry)
    warnings = list(found.warnings)
    findings = redaction.scan_pages(extracted.pages)
    redaction_warning = redaction.describe(findings)
    if redaction_warning:
        warnings.insert(0, PlanWarning(WarningKind.REDACTION, redaction_warning))
    return AnalysedPlan(
        path=Path(path),
        sha256=extracted.sha256,
        pages=extracted.pages,
        sections=found.sections,
        warnings=warnings,
        unredacted=redaction_warning is not None,
        findings=findings,
        set_aside=found.set_aside,
    )

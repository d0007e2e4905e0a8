"""One PDF -> everything we learn from it (pages, sections, warnings), touching no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ehcaudit import redaction
from ehcaudit.pdf import read_pdf
from ehcaudit.sections import Section, find_sections
from ehcaudit.sections.clean import SetAside


@dataclass
class AnalysedPlan:
    path: Path
    sha256: str
    pages: list[str]
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    unredacted: bool = False
    set_aside: list[SetAside] = field(default_factory=list)  # every line that belongs to no section, with why

    @property
    def label(self) -> str:
        return self.path.stem

    def to_dict(self) -> dict:
        """The `inspect --format json` contract."""
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "pages": len(self.pages),
            "sections": [s.to_dict() for s in self.sections],
            "warnings": list(self.warnings),
            "set_aside": [a.to_dict() for a in self.set_aside],
        }


def analyse_pdf(path: Path | str) -> AnalysedPlan:
    """Read a plan PDF and find its sections; raises PdfError for unusable files."""
    extracted = read_pdf(path)
    found = find_sections(extracted.pages, extracted.styles, extracted.printed, extracted.geometry)
    warnings = list(found.warnings)
    redaction_warning = redaction.describe(redaction.scan_pages(extracted.pages))
    if redaction_warning:
        warnings.insert(0, redaction_warning)
    return AnalysedPlan(
        path=Path(path),
        sha256=extracted.sha256,
        pages=extracted.pages,
        sections=found.sections,
        warnings=warnings,
        unredacted=redaction_warning is not None,
        set_aside=found.set_aside,
    )

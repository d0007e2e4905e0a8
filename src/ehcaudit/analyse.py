"""One PDF -> everything we learn from it (pages, sections, warnings), touching no database."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ehcaudit import redaction
from ehcaudit.pdf import read_pdf
from ehcaudit.sections import Section, find_sections


@dataclass
class AnalysedPlan:
    path: Path
    sha256: str
    pages: list[str]
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    unredacted: bool = False
    # What the redaction check found (kind, page, masked text), and the kind of each warning, in order.
    findings: list[redaction.Finding] = field(default_factory=list)
    warning_kinds: list[str | None] = field(default_factory=list)

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
            "personal_data": [
                {"kind": f.kind, "name": redaction.KINDS[f.kind], "page": f.page, "text": f.masked} for f in self.findings
            ],
        }


def analyse_pdf(path: Path | str) -> AnalysedPlan:
    """Read a plan PDF and find its sections; raises PdfError for unusable files."""
    extracted = read_pdf(path)
    found = find_sections(extracted.pages, extracted.styles)
    warnings = list(found.warnings)
    kinds: list[str | None] = [None] * len(warnings)
    findings = redaction.scan_pages(extracted.pages)
    redaction_warning = redaction.describe(findings)
    if redaction_warning:
        warnings.insert(0, redaction_warning)
        kinds.insert(0, "redaction")
    return AnalysedPlan(
        path=Path(path),
        sha256=extracted.sha256,
        pages=extracted.pages,
        sections=found.sections,
        warnings=warnings,
        unredacted=redaction_warning is not None,
        findings=findings,
        warning_kinds=kinds,
    )

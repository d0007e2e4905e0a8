"""Reading plan PDFs into page texts."""

from ehcaudit.pdf.extract import ExtractedPdf, read_pdf, sha256_file

__all__ = ["ExtractedPdf", "read_pdf", "sha256_file"]

"""Errors a user can cause. The CLI and the screens show them as one line."""


class EhcauditError(Exception):
    """Base for every error a user can cause and fix; str() is the message shown."""


class PdfError(EhcauditError):
    """A file could not be read as a plan (not a PDF, corrupt, encrypted, scanned)."""


class NoTextLayer(PdfError):
    """The PDF opened but has (almost) no text: a scan, or a file too damaged to show its text."""


class RubricError(EhcauditError):
    """A rubric file is missing or invalid; `problems` lists every issue found."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or [message]


class StoreError(EhcauditError):
    """The database could not be opened or written (disk full, read-only, locked)."""


class NotFound(EhcauditError):
    """An unknown plan, audit, rubric or reviewer was asked for."""


class AuditError(EhcauditError):
    """An audit action that is not allowed (editing a submitted audit, incomplete submit)."""

"""The core knows nothing of the terminal."""

import subprocess
import sys

CORE = [
    "ehcaudit.ingest.read_plan", "ehcaudit.cli", "ehcaudit.config", "ehcaudit.demo", "ehcaudit.ingest.importer",
    "ehcaudit.locations", "ehcaudit.pdf", "ehcaudit.sections.view_lines", "ehcaudit.ingest.redaction", "ehcaudit.rubric",
    "ehcaudit.sections", "ehcaudit.store", "ehcaudit.store.audits", "ehcaudit.store.plans",
    "ehcaudit.checks", "ehcaudit.checks.sample", "ehcaudit.checks.cli",
]


def test_core_imports_without_textual():
    code = "import sys; sys.modules['textual'] = None\n" + "\n".join(f"import {m}" for m in CORE)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_bundled_rubric_and_sample_plans_are_found(sample_plans_dir):
    from ehcaudit import locations

    assert locations.default_rubric_file().is_file()
    assert len(list(sample_plans_dir.glob("*.pdf"))) >= 12

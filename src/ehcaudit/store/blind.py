"""Which audits a calibration session keeps blind: its reference and its trainees' audits, until revealed."""

from __future__ import annotations

# Audit ids no figure (summary, scores export) may count while their session is blind.
BLIND_AUDIT_IDS = """
    SELECT reference_audit_id FROM calibration_sessions WHERE revealed_at IS NULL
    UNION SELECT a.id FROM audits a JOIN calibration_sessions s ON s.id = a.session_id WHERE s.revealed_at IS NULL"""

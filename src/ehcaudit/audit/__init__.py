"""Audits as the domain knows them: a reviewer's judgements and evidence for one plan against one rubric.

Plain data, no SQL and no terminal: the store saves them, replay rebuilds them, calibration and the
screens read them.
"""

"""Training: replay a recorded audit, score a calibration session, build its handout."""

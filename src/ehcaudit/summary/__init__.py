"""Quality and consistency across a sample of audited plans."""

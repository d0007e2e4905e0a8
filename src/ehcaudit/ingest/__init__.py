"""From files to stored plans: read a PDF into a plan, import folders, check redaction, read scores CSVs."""

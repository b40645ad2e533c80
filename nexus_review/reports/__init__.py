"""Reports: one document model, rendered to Word (python-docx) and PDF (reportlab)."""

"""Documents built from service data: court reports and service reports (DOCX/PDF)."""

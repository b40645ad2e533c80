"""The desktop program (PySide6). It calls into ``nexus_review``; the core never imports it."""

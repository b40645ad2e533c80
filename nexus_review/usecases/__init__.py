"""Use cases: one function per user action, each in one unit of work."""

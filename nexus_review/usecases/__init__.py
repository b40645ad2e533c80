"""Use cases: one function per user action, each one unit of work, returning frozen domain records."""

"""Use cases: one module per area; each opens the one unit of work and returns domain records."""

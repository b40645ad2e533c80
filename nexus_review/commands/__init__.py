"""Sub-commands of ``nexus-review``, one module per area of work."""

"""Files that travel between computers: visit files (JSON) and review packages (.nxr)."""

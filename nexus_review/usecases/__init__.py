"""What the people using Nexus Review do: one module per area, one function per action."""

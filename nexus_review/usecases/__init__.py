"""One module per area of user actions: each opens the one unit of work and returns frozen records."""

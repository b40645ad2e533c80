"""The queries over the network's records, one module per area. Functions take a Session
and never commit; they return the frozen records of :mod:`nexus_review.domain.records`."""

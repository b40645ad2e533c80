"""The domain: what a visit, its evidence and its judgements are, without storage or Qt."""

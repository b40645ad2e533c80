"""Storage: the SQLAlchemy ORM, the database engine and migrations. All SQL lives here."""

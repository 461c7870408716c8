"""PostgreSQL repository, unit of work and migrations."""

"""PostgreSQL repository, unit of work, outbox, audit log, migrations; which faults will pass."""

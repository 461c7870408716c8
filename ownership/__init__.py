"""Who owns each offender record: the domain, its handlers and its PostgreSQL adapters."""

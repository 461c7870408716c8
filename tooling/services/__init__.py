"""Native Kafka and PostgreSQL for machines without Docker."""

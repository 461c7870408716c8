"""One force's node: inbox consumer, outbox relay, maintenance and health, over PostgreSQL."""

"""Outbox relay: domain events to signed wire messages on Kafka."""

"""Kafka subscribers: validated wire messages to commands, inbox dedupe, dead letters."""

"""Kafka security: who may do what (the ACL plan), and the secure profile's keys and secrets."""

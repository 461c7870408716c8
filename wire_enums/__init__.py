"""The tables between the domain's enumerations and the wire's, shared by both Kafka edges.

`producers` writes domain members as wire members through them and `consumers` reads wire
members back through the same tables inverted, so neither edge imports the other.
"""

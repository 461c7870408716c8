"""RFC 8785 canonical JSON: what signatures are made over and the audit chain is hashed over.

It knows nothing of ours, so that both the wire contract (`schemas`) and the adapters
(`ownership.adapters`, which may import no wire model) can use the same bytes.
"""

"""The way out: an outbox row disclosed, signed and sent, up to the broker's acknowledgement.

`relay` claims unsent rows and marks them sent, `publishing` cuts each body to its
recipient's disclosure profile, signs it with a key from `keyring` and sends the batch, and
`translation` writes domain events as wire bodies.
"""

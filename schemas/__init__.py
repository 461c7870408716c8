"""The wire contract: versioned JSON Schemas, the signed envelope and the registry.

Entry points (nothing is built at import time):

- `schemas.registry.Registry(directory, force=...)`: `.receive(raw)` returns a
  `ReceivedMessage` (envelope, type, version sent, body upcast to the current model) or raises
  a `schemas.errors.MessageRejected` subclass whose `reason` is stable.
- `schemas.outgoing.prepare_message(body, addressing, directory=..., key=..., schemas=...)`:
  the recipient's highest version, the body written in it, wrapped, signed, encoded.
- `schemas.directory.load_directory(path=None)`: the force directory (packaged one by default).
- `schemas.signing.load_signing_key(path)`: a force's key file, for signing.
- `schemas.evolution.run_checks()`: the rules `interforce schemas check` enforces.
"""

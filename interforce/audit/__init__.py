"""The audit log's signatures, checkpoints and verification, as the node and the CLI use them."""

"""The wire contract: versioned JSON Schemas, the signed envelope and the registry."""

"""`interforce bench`: the node measured side by side with raw baselines, on one machine.

Small modules, one measurement each: `setup` (the machine and the services), `baselines`
(raw aiokafka and raw asyncpg), `stages` (CPU per stage of the node), `node_e2e` (the real
node, end to end), `federation` (all forces, many transfers), `chart` and `report`.
"""

"""Development tooling, apart from the runtime: the bench, the demo, the local services
launcher (native Kafka and PostgreSQL, the secure broker), the autopilot and the playbook.

Nothing in `schemas`, `ownership`, `producers`, `consumers` or `interforce` imports this
package at module level; the `services`, `demo` and `bench` commands import it when they run.
Its third-party needs are the optional extras `[local]` and `[bench]`.
"""

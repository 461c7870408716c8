"""Development tooling, apart from the runtime: the bench, the demo, the local services
launcher (native Kafka and PostgreSQL, the secure broker), the autopilot and the playbook.

No runtime package (`canonical`, `schemas`, `ownership`, `wire_enums`, `producers`,
`consumers`, `interforce`) imports it at module level; the `services`, `demo` and `bench`
commands import it when they run. Its third-party needs are the extras `[local]` and `[bench]`.
"""

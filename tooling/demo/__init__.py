"""`make demo`: a federation of force nodes, as separate processes, playing real scenarios.

`processes` starts and stops the nodes, `stage` gives the scenarios their desks and a
timeline, `scenarios` plays the guidance's situations end to end over Kafka and `new_paths`
the newer ones (failure to arrive, an unannounced arrival, a chased commit, a conflict
resolved, a hand-over to Police Scotland; `conflict_setup` makes the conflict), `checks`
prints every offender's owner, epoch and status as each force sees it and checks the
invariants, with `path_checks` saying where each newer path should end, `runner` puts them
together.
"""

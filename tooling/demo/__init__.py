"""`make demo`: a federation of force nodes, as separate processes, playing real scenarios.

`processes` starts and stops the nodes, `stage` gives the scenarios their desks and a
timeline, `scenarios` plays the guidance's situations end to end over Kafka, `checks` prints
every offender's owner and epoch as each force sees it and checks the invariants, `runner`
puts them together.
"""

"""Pure domain rules: offender record, transfer state machine, review checklist."""

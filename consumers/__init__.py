"""The way in: a consumer record decoded, translated and applied as a command.

`inbox_subscriber` reads the inbox in batches, `decoding` checks and translates each record,
`applying` runs its command through the bus, and `inbox_processor` commits the batch with its
inbox ids, offsets, audit entries and dead letters.
"""

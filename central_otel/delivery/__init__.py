"""Durable delivery of events: a bounded queue on disk (SQLite, under `state_dir`), batches
of OTLP log records, removal only when the backend acknowledged them.

- `database`: the SQLite file (queue and reported states), its recovery at start;
- `queue`: the queue in two tiers (disk, memory), its budgets and counters;
- `records`: event records as OTLP `LogRecord` bytes, batches as requests;
- `shipping`: sending batches, with retries and exact acknowledgement handling;
- `service`: the threads that write and send, and what `/status` shows.
"""

"""Durable delivery of events: a bounded queue on disk (SQLite, under `state_dir`), batches
of OTLP log records, removal only when the backend acknowledged them.

- `database`: the SQLite file (queue and reported states), opening and recovering it;
- `salvage`: what a damaged file still holds, through SQLite and below it;
- `rows`: the rows the queue and its readers share;
- `queue`: the queue in two tiers (disk, memory), its budgets and counters;
- `records`: event records as OTLP `LogRecord` bytes, batches as requests;
- `shipping`: sending batches, with retries and exact acknowledgement handling;
- `service`: the threads that write and send, and what `/status` shows.

What is delivered, duplicated or dropped, and when: docs/reliability.md, "Delivery
guarantees".
"""

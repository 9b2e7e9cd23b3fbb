"""Entity state: the latest state and stats of every Aruba entity, per customer.

Monitoring is a stream of state changes (ADD/UPDATE/DELETE, re-sent only on
change) and periodic stats. Metrics are read from here at export time, so an
entity that is deleted or goes stale stops being exported at the next collection.
"""

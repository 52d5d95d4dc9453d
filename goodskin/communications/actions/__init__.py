"""Every write about messages, one module per topic: the outbox (queueing essential mail and
what happens after a hand-over), choices (preferences, opt-outs, suppression, marketing pauses),
notices and campaigns. Keyword-only, atomic, audited; nothing here talks to a mail server
(delivery.py does, from the worker). Import the topic module you need.
"""

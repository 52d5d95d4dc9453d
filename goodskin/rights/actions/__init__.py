"""Privacy-request actions, one module per topic: intake, verification, fulfilment (one step
per kind), corrections, deletion, the report link, minors cases and the daily reminders.
Keyword-only, atomic, audited. Import the topic module you need; nothing is re-exported here.
"""

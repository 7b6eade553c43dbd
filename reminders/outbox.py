"""
Recording messages in the outbox and queueing their sending.

Every message is first inserted under the (kind, user, occasion) constraint with ON CONFLICT DO
NOTHING, which returns only the rows this call created; their sending is queued once the
transaction commits. So any number of sweeps (or double-clicked buttons) on any number of
machines record each message once, and only the one that recorded it queues it.
"""

import json

from django.db import connection, transaction
from django.utils import timezone

# Messages per task: a task sends a handful rather than one per row (fewer queue rows and
# queries per sweep batch) and few enough that several workers share a big sweep.
MESSAGES_PER_TASK = 50
# Rows per INSERT statement, well under every database's limit on parameters.
INSERT_CHUNK = 1000


def messages_record(*, rows, now=None):
    """
    Insert (kind, user_id, occasion, context) rows that do not exist yet; return the new ids.
    One statement per INSERT_CHUNK rows. The caller queues them (`messages_queue`).
    """
    now = now or timezone.now()
    created = []
    for start in range(0, len(rows), INSERT_CHUNK):
        created += _insert(rows[start : start + INSERT_CHUNK], now)
    return created


def _insert(rows, now):
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    values = ", ".join([f"(%s, %s, %s, %s{json_cast}, 'pending', 0, '', %s)"] * len(rows))
    params = []
    for kind, user_id, occasion, context in rows:
        # str(): a Kind is an enum, which psycopg would send by its name, not its value.
        params += [str(kind), user_id, occasion, json.dumps(context, sort_keys=True), now]
    # Only placeholders are formatted into the statement; every value is a parameter.
    sql = (
        "INSERT INTO reminders_message "  # noqa: S608
        "(kind, user_id, occasion, context, status, attempts, error, created_at) "
        f"VALUES {values} ON CONFLICT (kind, user_id, occasion) DO NOTHING RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def messages_queue(message_ids):
    """Queue the sending of these messages when the current transaction commits."""
    from reminders.tasks import send_messages

    ids = list(message_ids)
    for start in range(0, len(ids), MESSAGES_PER_TASK):
        chunk = ids[start : start + MESSAGES_PER_TASK]
        transaction.on_commit(lambda chunk=chunk: send_messages.enqueue(chunk))


def messages_record_and_queue(*, rows, now=None):
    ids = messages_record(rows=rows, now=now)
    messages_queue(ids)
    return ids

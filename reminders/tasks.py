"""Background tasks (django.tasks): sending the outbox's messages. See reminders/sending.py."""

from django.tasks import task

from reminders.sending import message_send


@task()
def send_messages(message_ids):
    """Send a handful of messages recorded together (one sweep batch, one announcement)."""
    for message_id in message_ids:
        message_send(message_id=message_id)


@task()
def send_message(message_id):
    """Send one message again after a failed try."""
    message_send(message_id=message_id)

"""Logging pieces the settings name (LOGGING)."""

import logging


class WithoutTraceback(logging.Filter):
    """Keep the record's message, drop its traceback: for noise whose message says it all."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return True

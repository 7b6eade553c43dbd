"""
Date formats per language (FORMAT_MODULE_PATH): Django's own for each language, with the
ones the site writes in words. WEEKDAY_* are the site's own names (accounts/language.py reads
them, and falls back to Django's formats for a language without a module here).
"""

"""Account views: groups.py (joining and leaving groups), data.py (my data, deletion),
language.py (the language switcher)."""

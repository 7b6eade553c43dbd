"""Account views: groups.py (joining and leaving groups), data.py (my data, deleting the account)."""

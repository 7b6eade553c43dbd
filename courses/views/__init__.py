"""
Course views, one module per audience or feature: parent.py (catalogue, course, lesson,
dashboard), journal.py, checks.py, certificates.py, facilitator.py, authoring.py (staff preview).
"""

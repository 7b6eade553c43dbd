"""Course views, one module per audience: parent.py, facilitator.py, authoring.py."""

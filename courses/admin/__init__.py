"""
The content editor's admin, for educators: course outlines with reordering and publishing,
lessons with their questions, version history, previews, export and import.
"""

from courses.admin import course, lesson

__all__ = ["course", "lesson"]

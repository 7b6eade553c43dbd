"""
The content editor's admin, for educators: course outlines with reordering and publishing,
lessons with their questions, version history, previews, export and import.

Parents' own writing is not here, on purpose. Reflections and practice notes are private to the
parent (a reflection is shared only with the facilitators of their groups, never with staff),
and answers to knowledge checks are not grades to inspect one parent at a time. Staff see only
counts per lesson (how many parents reflected), and certificates read-only, to help a parent
whose certificate needs looking up.
"""

from courses.admin import course, lesson

__all__ = ["course", "lesson"]

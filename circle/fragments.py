"""
Rendered HTML that is the same for everyone who shares a few values, kept in each worker's
memory so a page renders it once rather than on every request: the lesson's words, the site's
header and footer, a question as it looks after a given answer, an empty form.

    {% load fragments %}
    {% shared "lesson" lesson.pk course.content_version child_age %} ... {% endshared %}

The key is the fragment's name, the page's language and the values named after it. Everything
the fragment shows must follow from those values: name the content version for course content
(every content edit raises it, courses/content_version.py), and name every per-person value the
fragment reads (a role, the parent's chosen age). A parent's own records (reflections, notes,
answers, progress) never go inside one; they are rendered around it.

CSRF tokens and CSP nonces are the exceptions made safe: inside a fragment `{% csrf_token %}`
and `{% csp_nonce_attr %}` write placeholders, and each response gets its own token and nonce
in their place. So a cached form is still the requester's own, never another person's token,
and a script tag carries the nonce of the response it is in.

The cache is local memory (settings.CACHES["fragments"]): keys carry the content version, which
every request reads from the database, so each app server shows an edit on its next request, and
a deploy (new templates) starts with an empty cache. It holds a bounded number of entries.
"""

import hashlib

from django.utils.translation import get_language

# Letters and digits only, like a real token, so it survives HTML escaping unchanged.
CSRF_PLACEHOLDER = "csrfFragmentPlaceholder0d6f1c9e4b7a2" + "5" * 28
# What django.template.context_processors.csrf gives when there is no token. A cached form
# then keeps its input with an empty value (Django would write none): either fails the check.
NO_TOKEN = "NOTPROVIDED"  # noqa: S105 (Django's marker, not a secret)
CSP_PLACEHOLDER = "cspFragmentPlaceholder7b2e9d41c0a6"
# As django.utils.csp.nonce_attr writes it.
NONCE_ATTR = f'nonce="{CSP_PLACEHOLDER}"'


def fragment_key(name, values):
    """The cache key: the fragment's name, the page's language and the values it names."""
    parts = [name, get_language() or "", *(str(value) for value in values)]
    digest = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"fragment:{name}:{digest}"


def placeholders():
    """What a fragment is rendered with in place of this response's own values."""
    return {"csrf_token": CSRF_PLACEHOLDER, "csp_nonce": CSP_PLACEHOLDER}


def with_response_values(html, context):
    """The cached HTML with this response's CSRF token and CSP nonce where the placeholders are."""
    if CSRF_PLACEHOLDER in html:
        token = context.get("csrf_token")
        token = str(token) if token else ""
        html = html.replace(CSRF_PLACEHOLDER, "" if token == NO_TOKEN else token)
    if NONCE_ATTR in html:
        nonce = context.get("csp_nonce")
        html = html.replace(NONCE_ATTR, f'nonce="{nonce}"' if nonce is not None else "")
    return html

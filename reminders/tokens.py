"""
Signed unsubscribe tokens: who, which kind and (for a digest) which group, so the link in an
email turns that one kind off without a login. Tampered or foreign tokens are refused.
"""

from django.core import signing

SALT = "reminders.unsubscribe"


def unsubscribe_token(*, user_id, kind, group_id=None):
    payload = {"u": user_id, "k": kind}
    if group_id is not None:
        payload["g"] = group_id
    return signing.dumps(payload, salt=SALT, compress=False)


def unsubscribe_read(token):
    """(user id, kind, group id or None), or None when the token is not one of ours."""
    try:
        payload = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, kind, group_id = payload.get("u"), payload.get("k"), payload.get("g")
    if not isinstance(user_id, int) or not isinstance(kind, str):
        return None
    if group_id is not None and not isinstance(group_id, int):
        return None
    return user_id, kind, group_id

"""A per-session token that every form posts back, so other sites cannot post for a user."""

from __future__ import annotations

import hmac
import secrets

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

SESSION_KEY = "csrf"
FIELD = "csrf_token"


def csrf_token(request: Request) -> str:
    """This session's token, made on first use."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[SESSION_KEY] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, once its token matches the session's; else 403."""
    form = await request.form(max_files=0, max_fields=20)
    sent = form.get(FIELD)
    expected = request.session.get(SESSION_KEY)
    if not (
        isinstance(sent, str)
        and isinstance(expected, str)
        and hmac.compare_digest(sent.encode(), expected.encode())
    ):
        raise HTTPException(403, "The form had expired or did not come from this site.")
    return form

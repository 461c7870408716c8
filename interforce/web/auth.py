"""Signing in and out, and who the signed-in person is on every request.

The session cookie (signed by Starlette's SessionMiddleware) names the account and when it
signed in; each request looks the account up again, so a disabled account or a changed role
takes effect at once, and a sign-in lasts at most `web_session_hours`.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from interforce.web.accounts import Account, active_account, check_password
from interforce.web.context import dashboard
from interforce.web.csrf import checked_form, csrf_token
from interforce.web.roles import Role
from ownership.adapters.audit_log import AuditEntry, append_entries

USER_KEY = "username"
SIGNED_IN_KEY = "signed_in_at"


class NotSignedInError(Exception):
    """The request needs a signed-in user; the app answers with the sign-in page."""


async def current_account(request: Request, *roles: Role) -> Account:
    """The signed-in account, which must hold one of ``roles`` if any are named."""
    board = dashboard(request)
    username = request.session.get(USER_KEY)
    signed_in_at = request.session.get(SIGNED_IN_KEY)
    if not isinstance(username, str) or not isinstance(signed_in_at, float):
        raise NotSignedInError
    age_hours = (board.clock().timestamp() - signed_in_at) / 3600
    account = await active_account(board.pool, username)
    if account is None or not 0 <= age_hours < board.settings.web_session_hours:
        request.session.clear()
        raise NotSignedInError
    if roles and account.role not in roles:
        raise HTTPException(403, "Your role does not give you this page.")
    return account


async def sign_in_page(request: Request) -> Response:
    """GET /login: the sign-in form."""
    return _form(request)


async def sign_in(request: Request) -> Response:
    """POST /login: check the password, throttling repeated failures."""
    board = dashboard(request)
    form = await checked_form(request)
    username = str(form.get("username", "")).strip().lower()[:63]
    password = str(form.get("password", ""))
    client = request.client.host if request.client else "unknown"
    keys = (f"user:{username}", f"client:{client}")
    if board.throttle.blocked(*keys):
        return _form(request, "Too many failed sign-ins. Wait a few minutes and try again.", 429)
    at = board.clock()
    async with board.pool.acquire() as connection, connection.transaction():
        account = await check_password(connection, username, password, at)
        action = "user.signed_in" if account else "user.sign_in_refused"
        entry = AuditEntry(f"user:{username}", action, at, detail={"client": client})
        await append_entries(connection, [entry], signer=board.signer)
    if account is None:
        board.throttle.failed(*keys)
        return _form(request, "The username or password is not right.", 401)
    board.throttle.succeeded(*keys)
    request.session.clear()  # a fresh session, and a fresh CSRF token, for the new user
    request.session.update({USER_KEY: account.username, SIGNED_IN_KEY: at.timestamp()})
    return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)


async def sign_out(request: Request) -> Response:
    """POST /logout: end the session."""
    await checked_form(request)
    username = request.session.get(USER_KEY)
    if isinstance(username, str):
        board = dashboard(request)
        async with board.pool.acquire() as connection, connection.transaction():
            entry = AuditEntry(f"user:{username}", "user.signed_out", board.clock())
            await append_entries(connection, [entry], signer=board.signer)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def sign_in_redirect(request: Request) -> Response:
    """Send someone not signed in to the sign-in page, to come back afterwards."""
    target = request.url.path if request.method == "GET" else "/"
    return RedirectResponse(f"/login?next={quote(target)}", status_code=303)


def _form(request: Request, error: str = "", status_code: int = 200) -> Response:
    next_page = _safe_next(request.query_params.get("next"))
    return dashboard(request).render(
        request,
        "login.html",
        status_code,
        error=error,
        next_page=next_page,
        csrf=csrf_token(request),
        account=None,
    )


def _safe_next(target: str | None) -> str:
    """Only a path on this site, never another site's address."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"

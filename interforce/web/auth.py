"""Signing in and out, and who the signed-in person is on every request.

The session cookie (signed by Starlette's SessionMiddleware) holds a random session id and
the form token, nothing about the person. The session itself is a row of `web_sessions`,
read again on every request with the account, so that signing out, disabling the account or
changing its password ends the session on every instance at once, a changed role takes
effect at once, and a sign-in lasts at most `web_session_hours`. Signing out ends every
session of the account, wherever it was signed in.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from interforce.web.accounts import USERNAME, Account, active_account, check_password
from interforce.web.client_address import Address, client_address, throttle_key
from interforce.web.context import DashboardContext, dashboard
from interforce.web.csrf import checked_form, csrf_token
from interforce.web.roles import Role
from interforce.web.sessions import end_session, end_sessions, open_session, session_user
from interforce.web.throttle import Attempt, Limit, begin_attempt, forget_attempt, limits_reached
from ownership.adapters.audit_log import AuditEntry, append_entries

SESSION_KEY = "session"
NOT_A_USERNAME = "?"
"""What failures are counted under when the name given cannot be anyone's."""


class NotSignedInError(Exception):
    """The request needs a signed-in user; the app answers with the sign-in page."""


async def current_account(request: Request, *roles: Role) -> Account:
    """The signed-in account, which must hold one of ``roles`` if any are named."""
    account = await signed_in_account(request)
    if account is None:
        if SESSION_KEY in request.session:
            request.session.clear()  # the session has ended: so has its cookie
        raise NotSignedInError
    if roles and account.role not in roles:
        raise HTTPException(403, "Your role does not give you this page.")
    return account


async def signed_in_account(request: Request) -> Account | None:
    """The account of the request's session if the session is open; the cookie is left as is."""
    board = dashboard(request)
    session_id = request.session.get(SESSION_KEY)
    if not isinstance(session_id, str):
        return None
    username = await session_user(board.pool, session_id, board.clock())
    return await active_account(board.pool, username) if username else None


async def sign_in_page(request: Request) -> Response:
    """GET /login: the sign-in form."""
    return _form(request)


async def sign_in(request: Request) -> Response:
    """POST /login: check the password, unless the account or the address is throttled."""
    board = dashboard(request)
    form = await checked_form(request)
    username = _username(str(form.get("username", "")))
    address = _client(request, board)
    key = throttle_key(address)
    attempt = await begin_attempt(board.pool, board.throttle, username, key, board.clock())
    if attempt is None:
        return _form(request, "Too many failed sign-ins. Wait a few minutes and try again.", 429)
    session_id = await _check(board, username, str(form.get("password", "")), address, attempt)
    if session_id is None:
        return _form(request, "The username or password is not right.", 401)
    await _end_previous(request, board)
    request.session.clear()  # a fresh session, and a fresh CSRF token, for the new user
    request.session[SESSION_KEY] = session_id
    return RedirectResponse(_safe_next(request.query_params.get("next")), status_code=303)


async def sign_out(request: Request) -> Response:
    """POST /logout: end every session of the signed-in account."""
    await checked_form(request)
    try:
        account = await current_account(request)
    except NotSignedInError:
        return RedirectResponse("/login", status_code=303)
    board = dashboard(request)
    async with board.pool.acquire() as connection, connection.transaction():
        ended = await end_sessions(connection, account.username)
        entry = AuditEntry(
            account.actor, "user.signed_out", board.clock(), detail={"sessions_ended": ended}
        )
        await append_entries(connection, [entry], signer=board.signer)
    request.session.clear()
    return RedirectResponse("/login", status_code=303)


def _username(given: str) -> str:
    """The name as accounts are named, or NOT_A_USERNAME if it cannot be one (e.g. a NUL)."""
    name = given.strip().lower()
    return name if USERNAME.fullmatch(name) else NOT_A_USERNAME


async def _check(
    board: DashboardContext, username: str, password: str, address: Address | None, attempt: Attempt
) -> str | None:
    """A new session's id if the password is right, else None; audited either way."""
    at = attempt.at
    async with board.pool.acquire() as connection, connection.transaction():
        account = await check_password(connection, username, password, at)
        if account is None:
            refusal = _refusal(board, username, address, attempt)
            await append_entries(connection, refusal, signer=board.signer)
            return None
        await forget_attempt(connection, attempt)
        session_id = await open_session(connection, account.username, at, board.session_lifetime)
        signed_in = AuditEntry(account.actor, "user.signed_in", at, detail=_client_detail(address))
        await append_entries(connection, [signed_in], signer=board.signer)
    return session_id


async def _end_previous(request: Request, board: DashboardContext) -> None:
    """End the session this browser held before, so that no copy of its cookie outlives it."""
    previous = request.session.get(SESSION_KEY)
    if isinstance(previous, str):
        async with board.pool.acquire() as connection:
            await end_session(connection, previous)


def _refusal(
    board: DashboardContext, username: str, address: Address | None, attempt: Attempt
) -> list[AuditEntry]:
    """The refused sign-in's audit entry, and one for each lockout that it starts."""
    refused = AuditEntry(
        f"user:{username}", "user.sign_in_refused", attempt.at, detail=_client_detail(address)
    )
    reached = limits_reached(board.throttle, attempt)
    return [refused, *(_lockout(board, limit, username, address, attempt) for limit in reached)]


def _lockout(
    board: DashboardContext, limit: Limit, username: str, address: Address | None, attempt: Attempt
) -> AuditEntry:
    subject = f"client:{throttle_key(address)}" if limit is Limit.ADDRESS else f"user:{username}"
    detail = {
        "limit": str(limit),
        "failures": board.throttle.attempts(limit),
        "window_seconds": int(board.throttle.window.total_seconds()),
        **_client_detail(address),
    }
    return AuditEntry(f"node:{board.force}", "sign_in.locked", attempt.at, subject, detail=detail)


def _client_detail(address: Address | None) -> dict[str, str]:
    return {"client": str(address) if address else "unknown"}


def _client(request: Request, board: DashboardContext) -> Address | None:
    peer = request.client.host if request.client else None
    forwarded = request.headers.getlist("x-forwarded-for")
    return client_address(peer, forwarded, board.settings.web_trusted_proxies)


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

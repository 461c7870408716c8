"""The dashboard's Starlette application, built from its dependencies (nothing at import)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import asyncpg
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from interforce.settings import Settings
from interforce.web import auth, pages
from interforce.web.context import DashboardContext, dashboard
from interforce.web.csrf import csrf_token
from interforce.web.headers import SecurityHeaders
from interforce.web.secrets_source import session_secret
from interforce.web.throttle import SignInThrottle
from ownership.adapters.audit_signing import AuditSigner

SESSION_COOKIE = "interforce_session"


def create_app(
    pool: asyncpg.Pool,
    *,
    force: str,
    clock: Callable[[], datetime],
    settings: Settings,
    signer: AuditSigner | None = None,
) -> Starlette:
    """The dashboard of ``force``'s node over its database pool; `signer` seals its audit rows."""
    board = DashboardContext(
        pool=pool,
        force=force,
        clock=clock,
        settings=settings,
        templates=_templates(),
        throttle=SignInThrottle(
            address_attempts=settings.web_sign_in_attempts,
            account_attempts=settings.web_sign_in_account_attempts,
            window=timedelta(seconds=settings.web_sign_in_window_seconds),
        ),
        signer=signer,
    )
    app = Starlette(
        routes=_routes(),
        middleware=[
            Middleware(SecurityHeaders),
            Middleware(
                SessionMiddleware,
                secret_key=session_secret(settings),
                session_cookie=SESSION_COOKIE,
                max_age=int(settings.web_session_hours * 3600),
                same_site="strict",
                https_only=settings.web_secure_cookies,
            ),
        ],
        exception_handlers={
            auth.NotSignedInError: _sign_in_required,
            HTTPException: _error_page,
        },
    )
    app.state.dashboard = board
    return app


def _routes() -> list[Route | Mount]:
    return [
        Route("/", pages.home, name="home"),
        Route("/overdue", pages.overdue, name="overdue"),
        Route("/conflicts", pages.conflicts, name="conflicts"),
        Route("/mappa", pages.mappa, name="mappa"),
        Route("/measures", pages.measures_page, name="measures"),
        Route("/offenders", pages.show_record, methods=["POST"], name="open_record"),
        Route("/offenders/{reference}", pages.ask_reason, name="ask_reason"),
        Route("/offenders/{reference}", pages.show_record, methods=["POST"], name="record"),
        Route("/audit", pages.audit, name="audit"),
        Route("/login", auth.sign_in_page, name="login"),
        Route("/login", auth.sign_in, methods=["POST"]),
        Route("/logout", auth.sign_out, methods=["POST"], name="logout"),
        Mount("/static", StaticFiles(packages=[("interforce.web", "static")]), name="static"),
    ]


def _templates() -> Jinja2Templates:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("interforce.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["when"] = _when
    environment.filters["day"] = _day
    return Jinja2Templates(env=environment)


def _when(moment: datetime | None) -> str:
    return "" if moment is None else moment.strftime("%d %b %Y %H:%M")


def _day(moment: object) -> str:
    return "" if moment is None else format(moment, "%d %b %Y")


async def _sign_in_required(request: Request, error: Exception) -> Response:
    return auth.sign_in_redirect(request)


async def _error_page(request: Request, error: Exception) -> Response:
    status, detail = (
        (error.status_code, error.detail) if isinstance(error, HTTPException) else (500, "")
    )
    board = dashboard(request)
    # An error page (a missing favicon, say) never changes the cookie: it may race a sign-in.
    account = await auth.signed_in_account(request) if status != 401 else None
    return board.render(
        request, "error.html", status, account=account, csrf=csrf_token(request),
        status=status, detail=detail,
    )  # fmt: skip

"""What the dashboard's pages share: the pool, the force, the clock, settings and templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.templating import Jinja2Templates

from interforce.node.deadlines import service_levels
from interforce.settings import Settings
from interforce.web.throttle import SignInThrottle
from ownership.adapters.audit_signing import AuditSigner
from ownership.domain.deadlines import ServiceLevels


@dataclass(frozen=True)
class DashboardContext:
    """The dependencies of every page, built once by the app factory."""

    pool: asyncpg.Pool
    force: str
    clock: Callable[[], datetime]
    settings: Settings
    templates: Jinja2Templates
    throttle: SignInThrottle
    signer: AuditSigner | None = None
    """Seals the dashboard's audit rows with the force's key (the node's)."""

    @property
    def levels(self) -> ServiceLevels:
        return service_levels(self.settings)

    @property
    def session_lifetime(self) -> timedelta:
        """How long a sign-in lasts."""
        return timedelta(hours=self.settings.web_session_hours)

    def render(
        self, request: Request, template: str, status_code: int = 200, **context: Any
    ) -> HTMLResponse:
        """A page from ``template`` with the signed-in user and CSRF token to hand."""
        return self.templates.TemplateResponse(
            request,
            template,
            {"force": self.force, "now": self.clock(), **context},
            status_code=status_code,
        )


def dashboard(request: Request) -> DashboardContext:
    """The dashboard the request's app was built with."""
    found: DashboardContext = request.app.state.dashboard
    return found

"""The dashboard's pages: worklists, overdue and expired, conflicts, MAPPA, measures, records."""

from __future__ import annotations

from datetime import timedelta

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from interforce.audit.signers import directory_keys
from interforce.web.auth import current_account
from interforce.web.context import dashboard
from interforce.web.csrf import checked_form, csrf_token
from interforce.web.measures import measures
from interforce.web.records import Viewer, ViewOutcome, view_record
from interforce.web.roles import Role
from interforce.web.timeline import timeline
from interforce.web.worklist import (
    expired_transfers,
    not_failed,
    open_conflicts,
    proposed_resolutions,
    waiting_on,
    work_items,
    worklist_tasks,
)
from ownership.adapters.audit_log import verify_chain
from ownership.adapters.views import Selection, audit_rows, failed_messages, selected_records
from schemas.directory import load_directory

EXPIRED_WINDOW_DAYS = 90
MEASURE_WINDOWS = (30, 90, 365, 0)
MIN_REASON = 5


async def home(request: Request) -> Response:
    """GET /: our tasks (immediate action first), messages that failed, then transfers
    waiting on us and on others, oldest first.

    A step whose message could never be sent is failed, never waiting: it is listed with
    the failed messages only.
    """
    account = await current_account(request)
    board = dashboard(request)
    mappa_only = account.role.mappa_only
    records = await selected_records(board.pool, Selection.TASKS, mappa_only=mappa_only)
    failed = await failed_messages(board.pool, mappa_only=mappa_only)
    now = board.clock()
    items = not_failed(work_items(records, now.date(), board.levels), failed)
    return board.render(
        request,
        "home.html",
        account=account,
        csrf=csrf_token(request),
        failed=failed,
        tasks=worklist_tasks(records, now, board.levels),
        on_us=waiting_on(items, board.force, us=True),
        on_others=waiting_on(items, board.force, us=False),
    )


async def overdue(request: Request) -> Response:
    """GET /overdue: overdue steps and returns, and transfers that expired lately."""
    account = await current_account(request)
    board = dashboard(request)
    mappa_only, today = account.role.mappa_only, board.clock().date()
    pending = await selected_records(board.pool, Selection.PENDING, mappa_only=mappa_only)
    lapsed = await selected_records(board.pool, Selection.EXPIRED, mappa_only=mappa_only)
    since = today - timedelta(days=EXPIRED_WINDOW_DAYS)
    return board.render(
        request,
        "overdue.html",
        account=account,
        csrf=csrf_token(request),
        items=[item for item in work_items(pending, today, board.levels) if item.overdue],
        expired=expired_transfers(lapsed, since),
        expired_days=EXPIRED_WINDOW_DAYS,
    )


async def conflicts(request: Request) -> Response:
    """GET /conflicts: two forces claiming one epoch, for coordinators to resolve."""
    account = await current_account(request)
    board = dashboard(request)
    records = await selected_records(
        board.pool, Selection.CONFLICTS, mappa_only=account.role.mappa_only
    )
    return board.render(
        request, "conflicts.html", account=account, csrf=csrf_token(request),
        conflicts=open_conflicts(records), proposals=proposed_resolutions(records),
    )  # fmt: skip


async def mappa(request: Request) -> Response:
    """GET /mappa?category=&level=: MAPPA cases, filtered by category and level."""
    account = await current_account(request)
    board = dashboard(request)
    category = _choice(request, "category", range(1, 5))
    level = _choice(request, "level", range(1, 4))
    records = await selected_records(board.pool, Selection.MAPPA, mappa_only=True)
    cases = [
        record
        for record in records
        if (mappa_case := record.profile.mappa) is not None
        and (category is None or mappa_case.category == category)
        and (level is None or mappa_case.level == level)
    ]
    return board.render(
        request, "mappa.html", account=account, csrf=csrf_token(request), cases=cases,
        category=category, level=level,
    )  # fmt: skip


async def measures_page(request: Request) -> Response:
    """GET /measures?days=: service level and median days per counterpart force."""
    account = await current_account(request)
    board = dashboard(request)
    days = _choice(request, "days", MEASURE_WINDOWS)
    days = 365 if days is None else days
    since = board.clock().date() - timedelta(days=days) if days else None
    records = await selected_records(
        board.pool, Selection.TRANSFERRED, mappa_only=account.role.mappa_only
    )
    rows, total = measures(records, board.levels, since)
    return board.render(
        request, "measures.html", account=account, csrf=csrf_token(request), rows=rows,
        total=total, days=days, windows=MEASURE_WINDOWS, levels=board.levels,
    )  # fmt: skip


async def ask_reason(request: Request) -> Response:
    """GET /offenders/{reference}: ask why the record is needed before showing it."""
    account = await current_account(request)
    return dashboard(request).render(
        request, "reason.html", account=account, csrf=csrf_token(request),
        reference=request.path_params["reference"], error="",
    )  # fmt: skip


async def show_record(request: Request) -> Response:
    """POST /offenders/{reference} (or /offenders with a reference): the audited timeline."""
    account = await current_account(request)
    board = dashboard(request)
    form = await checked_form(request)
    reference = str(request.path_params.get("reference") or form.get("reference", "")).strip()
    reason = " ".join(str(form.get("reason", "")).split())
    if len(reason) < MIN_REASON or not reference:
        return board.render(
            request, "reason.html", 400, account=account, csrf=csrf_token(request),
            reference=reference, error="Say why you need this record (a few words at least).",
        )  # fmt: skip
    viewer = Viewer(account.actor, account.username, str(account.role), account.role.mappa_only)
    seen = await view_record(
        board.pool, reference, reason[:500], viewer, board.clock(), signer=board.signer
    )
    if seen.outcome is ViewOutcome.NOT_FOUND:
        raise HTTPException(404, f"This force holds no record {reference}.")
    if seen.outcome is ViewOutcome.NOT_MAPPA or seen.record is None:
        raise HTTPException(403, "A MAPPA lead sees MAPPA cases only; this is not one.")
    record = seen.record
    return board.render(
        request, "timeline.html", account=account, csrf=csrf_token(request), record=record,
        entries=timeline(record), reason=reason,
        pending=record.pending(board.clock().date()),
    )  # fmt: skip


async def audit(request: Request) -> Response:
    """GET /audit: the latest audit log rows, filtered, and whether the chain is intact."""
    account = await current_account(request, Role.AUDITOR)
    board = dashboard(request)
    query = request.query_params
    filters = {key: query.get(key, "").strip() for key in ("action", "subject", "actor")}
    rows = await audit_rows(
        board.pool, action=filters["action"], subject=filters["subject"], actor=filters["actor"]
    )
    report = None
    if request.query_params.get("verify"):
        async with board.pool.acquire() as connection:
            keys = directory_keys(load_directory(board.settings.directory))
            report = await verify_chain(connection, force=board.force, keys=keys)
    return board.render(
        request, "audit.html", account=account, csrf=csrf_token(request), rows=rows,
        filters=filters, report=report,
    )  # fmt: skip


def _choice(request: Request, name: str, allowed: range | tuple[int, ...]) -> int | None:
    raw = request.query_params.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or int(raw) not in allowed:
        raise HTTPException(400, f"{name} must be one of {', '.join(map(str, allowed))}")
    return int(raw)

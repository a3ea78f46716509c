"""Run the ``mkdocs`` and ``evidence`` console scripts without paying for their imports each time.

Most of the suite's commands are short: about two thirds of a ``mkdocs build`` of a fixture project
or an ``evidence check`` is Python importing MkDocs, Pydantic and the plugin. This server imports
them once, then forks one child per command. The child is set up as a fresh process would be (its
own working folder, environment, standard input from /dev/null, standard output and error into
files) and runs the installed console script itself (``runpy``), so the command goes through the
same entry point, argument parsing, logging set-up and exit code as ``subprocess.run`` would give.
Nothing runs in the server between forks but reading requests, so every child starts from the same
state: modules imported, nothing built.

What a fork does not give: a hash seed of its own (every child shares the server's), and a new
interpreter start (the console scripts' wiring is still run by the tests that use
``conftest.run_fresh``, the hostile cases' ``evidence check`` and the session's real-site build).

Protocol, one JSON object per line: the server reads ``{"id", "argv", "cwd", "env", "out", "err"}``
on the file descriptor named by its first argument and writes ``{"id", "pid"}`` once the child runs,
then ``{"id", "code"}`` when it ends (``code`` as ``subprocess`` reports it: negative for a signal) on
the one named by its second.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import selectors
import sys

#: What the console scripts import on the way to their work (``python -X importtime``), minus
#: modules that act on import (Material's templates read sys.argv and the environment then).
PRELOAD = (
    "mkdocs.__main__",
    "mkdocs.commands.build",
    "mkdocs.config.defaults",
    "markdown.extensions.attr_list",
    "markdown.extensions.codehilite",
    "mkdocs_evidence.cli",
    "mkdocs_evidence.plugin",
)


def child(request: dict[str, object], server_fds: tuple[int, int]) -> None:
    """In the forked child: become the command, run it, exit as Python would. Never returns."""
    code = 1
    try:
        for fd in server_fds:
            os.close(fd)
        os.chdir(str(request["cwd"]))
        os.environ.clear()
        os.environ.update(request["env"])  # type: ignore[arg-type]
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        for fd, key in ((1, "out"), (2, "err")):
            target = os.open(str(request[key]), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            os.dup2(target, fd)
            os.close(target)
        argv = [str(a) for a in request["argv"]]  # type: ignore[attr-defined]
        sys.argv = argv
        import runpy

        try:
            runpy.run_path(argv[0], run_name="__main__")
            code = 0
        except SystemExit as exc:  # as the interpreter treats sys.exit()'s argument
            if exc.code is None:
                code = 0
            elif isinstance(exc.code, int):
                code = exc.code
            else:
                print(exc.code, file=sys.stderr)
                code = 1
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        # What interpreter shutdown does: wait for non-daemon threads, run atexit functions, flush.
        import atexit
        import threading

        threading._shutdown()  # type: ignore[attr-defined]
        atexit._run_exitfuncs()
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code & 0xFF)


def main() -> None:
    for name in PRELOAD:
        importlib.import_module(name)
    requests, replies_fd = int(sys.argv[1]), int(sys.argv[2])
    replies = os.fdopen(replies_fd, "w", encoding="utf-8", buffering=1)
    running: dict[int, object] = {}
    pending = b""
    # The children end in any order: reap them between requests (a short poll, no signal handler,
    # so a child starts with the default disposition of every signal).
    selector = selectors.DefaultSelector()
    selector.register(requests, selectors.EVENT_READ)
    while True:
        if selector.select(timeout=0.02 if running else None):
            chunk = os.read(requests, 1 << 16)
            if not chunk:
                break
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                request = json.loads(line)
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    child(request, (requests, replies_fd))
                running[pid] = request["id"]
                replies.write(json.dumps({"id": request["id"], "pid": pid}) + "\n")
        while running:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if pid == 0:
                break
            replies.write(json.dumps({"id": running.pop(pid), "code": os.waitstatus_to_exitcode(status)}) + "\n")
    while running:  # the tests are over: let the last children end
        pid, status = os.waitpid(-1, 0)
        running.pop(pid, None)


if __name__ == "__main__":
    main()

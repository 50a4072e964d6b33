"""Child processes of a build: how they are forked and talk to it (layout/chapter_worker.py
and run/packet_workers.py say what they run).

A child is forked from the build once it has read the book and imported WeasyPrint (the
chapter worker, once the charts are drawn too): it starts with all of that, where a fresh
interpreter would spend about a second of a core on it again (a cold build runs three
children). A child makes its own WeasyPrint font set-up (``in_each_child``, used by
layout/engine.py). It talks to the build
through two pipes, one JSON line at a time, and ends with ``os._exit``: nothing of the
build's own clean-up (open ``with`` blocks, temporary files) runs twice.

Forking is what Linux does well; elsewhere (macOS, where system libraries may not survive
a fork) there are no children and the build does their work itself, one part after another.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from typing import Callable, TextIO

# the ends of the pipes this process holds for its children: a later child closes its
# copies, so that a child sees the end of its requests when the build closes them
_held: list[TextIO] = []


def can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def in_each_child(hook: Callable[[], None]) -> None:
    """Run ``hook`` in every child forked from now on, before it does anything else (a
    library's state that must not be shared with the parent: layout/engine.py's font set-up)."""
    os.register_at_fork(after_in_child=hook)


def spare_cores(busy: bool) -> int:
    """Cores free for workers: those this process may use, less one if it is busy itself;
    none where children are not forked."""
    if not can_fork():
        return 0
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores - (1 if busy else 0)




class Child:
    """A forked child running ``work(requests, answers)``: the requests it reads and the
    answers it writes are JSON lines (``ask``, ``answers``). What subprocess.Popen offers
    for it: ``poll``, ``wait``, ``terminate``, ``returncode``."""

    def __init__(self, work: Callable[[TextIO, TextIO], None], niceness: int = 0):
        down, up = os.pipe(), os.pipe()             # (read end, write end) each
        for stream in (sys.stdout, sys.stderr):
            stream.flush()                          # else what they hold is written twice
        self.pid = os.fork()
        if self.pid == 0:
            os.close(down[1])
            os.close(up[0])
            _run_child(work, down[0], up[1], niceness)
        os.close(down[0])
        os.close(up[1])
        self.requests = open(down[1], "w", encoding="utf-8")
        self.answers = open(up[0], encoding="utf-8")
        _held.extend((self.requests, self.answers))
        self.returncode: int | None = None

    def ask(self, what) -> bool:
        """Send one request; False when the child has ended."""
        try:
            self.requests.write(json.dumps(what) + "\n")
            self.requests.flush()
            return True
        except (OSError, ValueError):
            return False

    def answer(self) -> dict:
        """The child's next answer; {} when it has ended."""
        line = self.answers.readline()
        return json.loads(line) if line.strip() else {}

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            _, status = os.waitpid(self.pid, 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def terminate(self) -> None:
        if self.poll() is None:
            os.kill(self.pid, signal.SIGTERM)

    def close(self) -> None:
        """End the child (what it writes, it writes atomically) and let its pipes go."""
        self.terminate()
        self.wait()
        for stream in (self.requests, self.answers):
            if stream in _held:
                _held.remove(stream)
            try:
                stream.close()
            except OSError:                         # a pipe it left unread
                pass


def _run_child(work, requests_fd: int, answers_fd: int, niceness: int) -> None:
    """The child's whole life: never returns into the build's code."""
    code = 1
    try:
        for stream in _held:                        # the pipes of the build's other children
            try:
                stream.close()
            except OSError:
                pass
        # new streams on the same descriptors: the build's may be held by its progress display
        sys.stdout = sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if niceness:
            os.nice(niceness)
        with open(requests_fd, encoding="utf-8") as requests, \
                open(answers_fd, "w", encoding="utf-8", buffering=1) as answers:
            work(requests, answers)
        code = 0
    except KeyboardInterrupt:                       # Ctrl-C reaches the whole group: the build says it
        code = 130
    except BaseException:                           # a bug in the child: the build meets it again
        traceback.print_exc()
    finally:
        try:
            sys.stderr.flush()
        finally:
            os._exit(code)

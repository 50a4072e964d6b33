"""`python build.py preview`: the web edition served on 127.0.0.1, rebuilt on every save, and
the open page reloaded.

On a save the book is read again (Pandoc only for the files that changed: source/ remembers
the rest), every page rendered from the model, and only the pages whose bytes changed written
into the served folder (the edited chapter's, and the glossary's or index's when their links
moved); the page in the browser is told to reload by a server-sent event. The reader's PDF
follows in a child process, then the web pages again with the print page numbers of the new
layout, then the print edition, the EPUB and the packets, as `watch` makes them. A manuscript
error is said in the terminal and shown over the page; the server keeps running and the next
good save clears it. The reload script is added to the pages as they are served, never written
into the site.
"""

from __future__ import annotations

import http.server
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Callable

import watchfiles

from bookbuilder.errors import BookError

EVENTS = "/__preview/events"
SCRIPT = "/__preview/reload.js"
HEARTBEAT_S = 10
LATER = (("pdf",), ("print", "epub", "packets"))     # after the pages: the reader's PDF first


class Hub:
    """The open pages' event streams: a reload for all, or the build error of the moment."""

    def __init__(self):
        self.lock = threading.Lock()
        self.clients: list[queue.Queue] = []
        self.error: str | None = None

    def join(self) -> queue.Queue:
        q: queue.Queue = queue.Queue()
        with self.lock:
            self.clients.append(q)
            if self.error:
                q.put(("error-report", self.error))
        return q

    def leave(self, q: queue.Queue) -> None:
        with self.lock:
            if q in self.clients:
                self.clients.remove(q)

    def send(self, event: str, message: str = "") -> None:
        with self.lock:
            self.error = message if event == "error-report" else None
            for q in self.clients:
                q.put((event, message))


class Site:
    """The web pages of the book in ``book_dir``, made again in place on each save."""

    def __init__(self, book_dir: Path, out_dir: Path):
        from bookbuilder.core.config import load_config
        self.book_dir, self.out_dir = Path(book_dir), Path(out_dir)
        self.folder = self.out_dir / f"{load_config(self.book_dir).slug}-web"
        self.pages = None                       # the last page list known (markers of the print edition)
        self.lock = threading.Lock()

    def refresh(self, search: bool = False) -> list[str]:
        """Read the book, write the pages that changed; returns them. Raises BookError."""
        from bookbuilder.core.editions import reader_edition
        from bookbuilder.passes.enrich import enrich
        from bookbuilder.run.epub_pages import cached_pages
        from bookbuilder.run.web_site import write_site
        from bookbuilder.source.manuscript import read_book

        with self.lock:
            book = enrich(read_book(self.book_dir))
            self.pages = cached_pages(book, reader_edition(book.config)) or self.pages
            return write_site(book, self.folder, self.pages, in_place=self.folder.is_dir(), search=search)

    def index_search(self) -> None:
        from bookbuilder.run.web_site import index_search
        with self.lock:
            index_search(self.folder)


def handler(site: Site, hub: Hub, script: bytes):
    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(site.folder), **kwargs)

        def log_message(self, *args):           # quiet: the terminal says what was rebuilt
            pass

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            if path == EVENTS:
                return self._events()
            if path == SCRIPT:
                return self._send(200, "text/javascript", script)
            target = Path(self.translate_path(path))
            if target.is_dir():
                target = target / "index.html"
            if target.suffix == ".html" and target.is_file():
                page = target.read_bytes()
                tag = _script_tag()
                at = page.rfind(b"</body>")
                page = page[:at] + tag + page[at:] if at >= 0 else page + tag
                return self._send(200, "text/html; charset=utf-8", page)
            return super().do_GET()

        def end_headers(self):
            self.send_header("Cache-Control", "no-store")
            super().end_headers()

        def _send(self, status: int, kind: str, body: bytes):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _events(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.end_headers()
            q = hub.join()
            try:
                self.wfile.write(b": connected\n\n")
                self.wfile.flush()
                while True:
                    try:
                        event, message = q.get(timeout=HEARTBEAT_S)
                    except queue.Empty:
                        self.wfile.write(b": still here\n\n")
                    else:
                        data = json.dumps({"message": message})
                        self.wfile.write(f"event: {event}\ndata: {data}\n\n".encode())
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError, OSError):
                pass
            finally:
                hub.leave(q)

    return Handler


def _script_tag() -> bytes:
    from bookbuilder.markup.templates import environment
    return environment().get_template("web/preview-script.html.j2").render(src=SCRIPT).encode()


class Later:
    """The PDFs and EPUB made after each save, one round at a time, in child processes (a
    save during a round starts the next round when it ends)."""

    def __init__(self, site: Site, hub: Hub, say: Callable[[str], None]):
        self.site, self.hub, self.say = site, hub, say
        self.wanted = threading.Event()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            if not self.wanted.wait(0.2):
                continue
            self.wanted.clear()
            for phase in LATER:
                if self.stop.is_set() or not self._build(phase):
                    break
                if phase == ("pdf",):           # the pages again, with the new layout's page numbers
                    try:
                        if self.site.refresh(search=True):
                            self.hub.send("reload")
                    except BookError as exc:
                        self.say(str(exc))

    def _build(self, formats) -> bool:
        start = time.perf_counter()
        command = [sys.executable, "-m", "bookbuilder.cli", *formats[:1], "--book", str(self.site.book_dir),
                   "--out", str(self.site.out_dir), "--quiet"]
        if len(formats) > 1:                    # several formats: one child each, in order
            return all(self._build((f,)) for f in formats)
        from bookbuilder import cache
        result = subprocess.run(command + ["--cache-dir", str(cache.root())], capture_output=True, text=True)
        took = time.perf_counter() - start
        if result.returncode != 0:
            self.say((result.stderr.strip().splitlines() or [f"{formats[0]} failed"])[-1])
            return False
        wrote = [line.removeprefix("wrote ") for line in result.stderr.splitlines() if line.startswith("wrote ")]
        self.say(f"rebuilt {', '.join(Path(w).name for w in wrote)} in {took:.1f} s" if wrote
                 else f"{formats[0]}: nothing changed")
        return True


def preview(book_dir: Path, out_dir: Path, port: int = 8000, say: Callable[[str], None] = print,
            ready: Callable[[str], None] | None = None) -> int:
    """Serve and rebuild until Ctrl-C; returns the exit code."""
    book_dir, out_dir = Path(book_dir), Path(out_dir)
    site, hub = Site(book_dir, out_dir), Hub()
    from importlib import resources
    script = (resources.files("bookbuilder") / "templates" / "web" / "preview.js").read_bytes()
    changes = watchfiles.watch(book_dir, yield_on_timeout=True, rust_timeout=200, raise_interrupt=True)
    next(changes)                       # watching from here on: saves during the first build count
    _refresh(site, hub, say, first=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler(site, hub, script))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    say(f"serving {site.folder} at {url} (Ctrl-C to stop)")
    if ready:
        ready(url)
    later = Later(site, hub, say)
    later.wanted.set()
    try:
        for batch in changes:
            if not batch:
                continue
            names = sorted({_relative(path, book_dir) for _, path in batch})
            say(f"changed: {', '.join(names)}")
            if _refresh(site, hub, say):
                later.wanted.set()
    except KeyboardInterrupt:
        say("stopped")
    finally:
        later.stop.set()
        server.shutdown()
        server.server_close()
    return 0


def _refresh(site: Site, hub: Hub, say, first: bool = False) -> bool:
    """The pages made again and the browser told; an error is said and shown, never raised."""
    start = time.perf_counter()
    try:
        changed = site.refresh(search=first)
    except BookError as exc:
        say(str(exc))
        hub.send("error-report", str(exc))
        return False
    except Exception as exc:  # a bug: say it and keep serving, the next save may avoid it
        say(f"internal error: {type(exc).__name__}: {exc}")
        hub.send("error-report", f"internal error: {type(exc).__name__}: {exc}")
        return False
    took = time.perf_counter() - start
    pages = [c for c in changed if c.endswith(".html")]
    say(f"pages: {', '.join(pages) or 'nothing changed'} in {took:.2f} s")
    hub.send("reload")
    if changed and not first:
        try:
            site.index_search()
        except BookError as exc:
            say(str(exc))
    return True


def _relative(path: str, folder: Path) -> str:
    try:
        return Path(path).resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path

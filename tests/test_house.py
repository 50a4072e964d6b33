"""The house: an installable package, stable ids, no import cycles, the command line's promises."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import yaml

from bookbuilder.core.config import load_config
from bookbuilder.core.editions import Selection
from bookbuilder.passes.enrich import enrich
from bookbuilder.source.manuscript import read_book
from bookbuilder.core.packet_specs import parse_chapters
from conftest import ROOT, copy_book, run_cli
from test_small_books import make_book

PACKAGE = ROOT / "bookbuilder"


# ------------------------------------------------------------------ a real package

def test_wheel_installs_and_builds_from_another_directory(tmp_path):
    """The wheel carries its templates: an installed copy builds a book from anywhere and
    writes its cache outside the package."""
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                    "-w", str(wheels), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = wheels.glob("bookbuilder-*.whl")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # install the wheel itself (unzipped, as pip does); its dependencies come from the test
    # environment's site-packages, listed after it, so the installed bookbuilder wins
    import zipfile
    zipfile.ZipFile(wheel).extractall(site)
    (site / "deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    book = make_book(tmp_path / "somewhere", chapters=2, paragraphs=2)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "BOOKBUILDER_CACHE")}
    result = subprocess.run([str(python), "-m", "bookbuilder.cli", "epub", "--book", str(book), "--out", "out",
                             "--cache-dir", str(cache), "--quiet"],
                            cwd=elsewhere, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (elsewhere / "out" / "small-book.epub").is_file()
    where = subprocess.run([str(python), "-c", "import bookbuilder; print(bookbuilder.__file__)"],
                           cwd=elsewhere, env=env, capture_output=True, text=True).stdout
    assert where.startswith(str(site)), where
    assert not any(Path(site, "bookbuilder").rglob(".cache")), "the cache must never go inside the package"


# ------------------------------------------------------------------ stable ids

def _ids(division) -> set[str]:
    roots = [division.body] + [n.content for n in division.notes if n.content is not None]
    found = {el.get("id") for root in roots for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    return found | {n.id for n in division.notes}


def test_leaving_out_and_moving_chapters_changes_no_other_chapters_ids(tmp_path):
    book_dir = copy_book(tmp_path)
    before = {d.id: d for d in enrich(read_book(book_dir)).chapters}
    config = yaml.safe_load((book_dir / "book.yaml").read_text(encoding="utf-8"))
    chapters = config["chapters"]
    config["chapters"] = chapters[2:] + [chapters[1]]        # drop chapter 1, move chapter 2 to the end
    (book_dir / "book.yaml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    after = {d.id: d for d in enrich(read_book(book_dir)).chapters}
    assert set(after) == set(before) - {"introduction"}
    from bookbuilder import ids
    for div_id, division in after.items():
        old, new = _ids(before[div_id]), _ids(division)
        # a transliteration note goes with a term's first occurrence in the book, so dropping
        # or moving chapters moves such notes; nothing else may change
        def stable(found):
            return {i for i in found if not ids.term_of_translit_note(i.removesuffix("-ref"))}
        assert stable(new) == stable(old), (div_id, sorted(stable(new) ^ stable(old))[:5])
        assert division.file_name == f"{div_id}.xhtml"
    assert any(_ids(after[d]) != _ids(before[d]) for d in after), "expected restarted notes"


def test_index_and_glossary_ids_count_within_their_chapter(real_book):
    for division in real_book.model.chapters:
        marks = [el.get("id") for el in division.body.iter("span") if "ix" in (el.get("class") or "").split()]
        assert marks and all(m.startswith(f"{division.id}-ix-") for m in marks), division.id
        numbers = [int(m.rsplit("-", 1)[1]) for m in marks]
        assert min(numbers) == 1


def test_a_selection_holds_only_its_chapters_and_prunes_glossary_and_figures():
    config = load_config(ROOT / "book")
    chosen = parse_chapters("2-3", config)
    book = enrich(read_book(ROOT / "book", Selection(chosen, front=False, back=False)))
    assert [d.number for d in book.chapters] == [2, 3]          # the book's numbers
    assert [d.role for d in book.divisions if d.generated] == ["glossary", "register", "index"]   # the people of its chapters too
    assert all(entry.uses for entry in book.glossary)
    assert all(f.number.split(".")[0] in ("2", "3") for f in book.figures)


def test_chapter_specs():
    config = load_config(ROOT / "book")
    ids_ = [c.id for c in config.chapters]
    assert parse_chapters("2-4, 7", config) == tuple(ids_[i - 1] for i in (2, 3, 4, 7))
    assert parse_chapters("moscow-trials, 2", config) == (ids_[1], ids_[2])
    for bad in ("0", "2-99", "nonsense", ""):
        try:
            parse_chapters(bad, config)
        except Exception as exc:
            assert type(exc).__name__ == "ConfigError" and str(exc)
        else:
            raise AssertionError(bad)


# ------------------------------------------------------------------ the house: stages and their imports

LOOSE = {"cli", "errors", "cache", "words", "fonts", "ids"}          # modules at the top, beside the stages
MAX_LOOSE = 10
# what each stage may import of ours ("base": the loose modules but cli). Passes compute and
# mark, and never know which format is written; the EPUB never lays out (the build hands it
# the page list); process tricks stand alone; only cli and run see everything.
MAY_IMPORT = {
    "process": set(),
    "base": {"base"},
    "core": {"base", "core"},
    "importer": {"base", "core", "source", "importer"},
    "source": {"base", "core", "source"},
    "passes": {"base", "core", "source", "passes"},
    "markup": {"base", "core", "source", "passes", "markup"},
    "layout": {"base", "core", "source", "passes", "markup", "layout", "process"},
    "epub": {"base", "core", "source", "passes", "markup", "epub"},
    "press": {"base", "core", "markup", "layout", "press"},
    "check": {"base", "core", "source", "passes", "markup", "layout", "check"},
    "run": {"base", "core", "importer", "source", "passes", "markup", "layout", "epub", "press", "run", "process"},
    "cli": {"base", "core", "importer", "source", "passes", "markup", "layout", "epub", "press", "check", "run",
            "process", "cli"},
}


def _modules() -> dict[str, Path]:
    """Dotted name under bookbuilder (``layout.parts``; a package by its own name) -> file."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name or "__init__"] = path
    return found


def _stage(module: str) -> str:
    top = module.split(".")[0]
    return "cli" if top == "cli" else "base" if top in LOOSE or top == "__init__" else top


def _imports(path: Path, modules: dict[str, Path]) -> tuple[set[str], set[str]]:
    """(our modules ``path`` imports anywhere in it, deferred imports too; the other top-level
    packages it imports)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ours, theirs = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import (the house imports bookbuilder.<stage>.<module>)")
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "bookbuilder":
            base = node.module.split(".", 1)[1] if "." in node.module else ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}".lstrip(".")
                ours.add(candidate if candidate in modules else base or "__init__")
        elif isinstance(node, ast.ImportFrom) and node.module:
            theirs.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("bookbuilder."):
                    ours.add(alias.name.split(".", 1)[1])
                else:
                    theirs.add(alias.name.split(".")[0])
    return ours, theirs


def test_the_package_is_a_map_of_stage_packages_each_saying_what_it_may_import():
    stages = sorted(p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file())
    assert len(stages) >= 6 and set(stages) == set(MAY_IMPORT) - {"base", "cli"}, stages
    loose = sorted(p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__")
    assert set(loose) <= LOOSE | {"cli"} and len(loose) <= MAX_LOOSE, loose
    for stage in stages:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
        assert "may import" in doc.lower(), f"{stage}/__init__.py must say what the stage may import"
        assert all(f"{p.stem}" in doc for p in (PACKAGE / stage).glob("*.py") if p.stem != "__init__"), \
            f"{stage}/__init__.py must name each of its modules"
    top = ast.get_docstring(ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8")))
    assert all(stage in top for stage in stages), "bookbuilder/__init__.py is the map: it names every stage"


def test_each_stage_imports_only_the_stages_below_it():
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        ours, _ = _imports(path, modules)
        wrong += [f"{name} -> {dep}" for dep in ours if _stage(dep) not in MAY_IMPORT[_stage(name)]]
    assert not wrong, wrong


def test_no_import_cycles_between_modules():
    modules = _modules()
    graph = {name: {d for d in _imports(path, modules)[0] if d in modules and d != name}
             for name, path in modules.items()}
    cycles = []

    def visit(node, trail):
        for nxt in graph[node]:
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, trail + [nxt])
        done.add(node)

    done: set[str] = set()
    for name in graph:
        if name not in done:
            visit(name, [name])
    assert not cycles, cycles


def test_each_engine_is_reached_from_one_room():
    """WeasyPrint (and pydyf, its PDF writer) only in layout/, ebooklib only in epub/, pikepdf
    in layout's join and the press; process tricks (fork, gc freeze, locks)
    only in process/."""
    rooms = {"weasyprint": {"layout"}, "pydyf": {"layout"}, "ebooklib": {"epub"}, "pikepdf": {"layout", "press"},
             "fcntl": {"process"}, "gc": {"process"}, "matplotlib": {"markup"}}
    modules = _modules()
    wrong = []
    for name, path in modules.items():
        _, theirs = _imports(path, modules)
        wrong += [f"{name} imports {lib}" for lib, allowed in rooms.items() if lib in theirs
                  and _stage(name) not in allowed]
    assert not wrong, wrong


PRIVATE_READS = {
    # private or undocumented attributes of WeasyPrint's boxes, and box classes by name
    "layout/boxes.py": re.compile(r"_page_box|position_y|justification_spacing|margin_height|content_box_y|"
                                  r"element_tag|LineBox|BlockBox|TextBox|ReplacedBox|formatting_structure"),
    # WeasyPrint's and pydyf's insides patched
    "layout/patches.py": re.compile(r"_build_box_tree|_to_bytes|Page\.paint|Stream\.__init__|weasyprint\.pdf|"
                                    r"generate_rdf_metadata"),
    # ebooklib's writer's private method
    "epub/writer.py": re.compile(r"_write_opf_file"),
    # process tricks
    "process/forking.py": re.compile(r"os\.fork\(|register_at_fork"),
    "process/memory.py": re.compile(r"gc\.freeze"),
    "process/turns.py": re.compile(r"flock"),
}


def test_engine_internals_and_process_tricks_each_sit_in_one_module():
    for home, pattern in PRIVATE_READS.items():
        assert pattern.search((PACKAGE / home).read_text(encoding="utf-8")), f"{home} no longer holds {pattern.pattern}"
        elsewhere = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                     if p != PACKAGE / home and pattern.search(p.read_text(encoding="utf-8"))]
        assert not elsewhere, (home, elsewhere)


def test_passes_do_not_render():
    """Enrichment computes; only renderers use templates or draw."""
    for path in (PACKAGE / "passes").glob("*.py"):
        ours, theirs = _imports(path, _modules())
        assert not {_stage(d) for d in ours} & {"markup", "layout", "epub", "press"}, path.name
        assert not theirs & {"jinja2", "matplotlib", "weasyprint"}, path.name


def _string_literals(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body
                  and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    return [node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)
            and isinstance(node.value, str) and id(node) not in docstrings]


def test_no_reader_words_in_python():
    """The words a reader sees come from the locale table (templates/words/), not from code."""
    words = re.compile(r"^(Used on|Used in|Figure|Data for|This note is long|Glossary|Index|Chapter|Removed)\b")
    for path in PACKAGE.rglob("*.py"):
        if path.parent.name in ("importer", "check") or path.stem == "cli":   # messages and readers of PDFs, not the book
            continue
        assert not [s for s in _string_literals(path) if words.match(s)], path.name


# ------------------------------------------------------------------ the command line

def test_version_and_subcommand_help():
    result = run_cli("--version")
    assert result.returncode == 0 and re.match(r"bookbuilder \d", result.stdout)
    result = run_cli("packet", "--help")
    assert result.returncode == 0 and "--chapters" in result.stdout and "--impose" in result.stdout


def test_options_before_or_after_the_subcommand(tmp_path):
    book = make_book(tmp_path, chapters=1, paragraphs=1)
    first = run_cli("--book", str(book), "--out", str(tmp_path / "a"), "epub", "--quiet")
    second = run_cli("epub", "--book", str(book), "--out", str(tmp_path / "b"), "--quiet")
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    assert (tmp_path / "a" / "small-book.epub").read_bytes() == (tmp_path / "b" / "small-book.epub").read_bytes()


def test_clean_empties_the_cache_it_is_given(tmp_path):
    cache = tmp_path / "cache"
    (cache / "layout").mkdir(parents=True)
    (cache / "layout" / "x.json").write_text("[]")
    result = run_cli("clean", "--cache-dir", str(cache))
    assert result.returncode == 0 and not cache.exists()


def test_epub_and_check_never_import_the_pdf_engine():
    """EPUB-only builds and `check` load neither WeasyPrint nor matplotlib (README, "Speed"):
    a module of theirs importing either at its top costs every EPUB build half a second."""
    import subprocess
    import sys
    script = ("import sys, bookbuilder.run.build, bookbuilder.epub.container, bookbuilder.check.lint, bookbuilder.cli; "
              "print(sorted(m for m in ('weasyprint', 'matplotlib') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"

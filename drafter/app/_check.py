"""``drafter check``: one file, several files, folders.

:func:`check_file` checks ONE document and returns a :class:`FileCheck`; its
:meth:`~FileCheck.payload` is the JSON object ``check --format json`` prints for that
file. Several files (or a folder) are checked one by one, or in worker processes when
there are many, and reported in the order given: text per file with a total, or one
JSON object per line. A file that cannot be read is reported and the others go on.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

from .._errors import DrafterError, InputError

if TYPE_CHECKING:
    from .._findings import Finding
    from .._spec import Report

#: From this many files on, ``--jobs`` unset, files are checked in worker processes. A
#: report takes 3–10 ms to check and starting the pool some 40 ms, so on two cores the
#: pool pays off only from a dozen or two files (bench/bench_check_many.py).
PARALLEL_FROM = 16
_UTF8 = ("utf-8", "utf-8-sig")
_RAW_CONTROLS = re.compile("[\x7f-\x9f]")


def json_line(payload: dict, *, indent: int | None = None) -> str:
    """JSON with DEL and C1 controls as \\u escapes too (json escapes only C0): the
    same data, and nothing a terminal would act on."""
    text = json.dumps(payload, ensure_ascii=False, indent=indent)
    return _RAW_CONTROLS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


@dataclass(frozen=True)
class CheckOptions:
    """What every file is checked against."""

    spec: Report | None = None
    facts: list[str] | None = None
    ledger: Report | None = None     # --facts LEDGER.xlsx|.csv, read as a spec (rows are facts)
    fragment: bool = False
    lexicons: tuple[str, ...] = ()
    kind: str | None = None          # --kind; None: the spec's kind, else detected per file

    @property
    def judged(self) -> bool:
        return bool(self.spec or self.facts or self.ledger)

    @property
    def evidence(self):
        """What figures are judged against: read once, shared by every file."""
        from .._evidence import Evidence

        if self.spec is not None or self.ledger is not None:
            return Evidence.of(self.spec if self.spec is not None else self.ledger)
        if self.facts is None:
            return None
        cached = _FACTS_EVIDENCE.get(id(self.facts))
        if cached is None or cached[0] is not self.facts:
            cached = _FACTS_EVIDENCE[id(self.facts)] = (self.facts, Evidence.from_facts(self.facts))
        return cached[1]


_FACTS_EVIDENCE: dict[int, tuple[list[str], object]] = {}


@dataclass
class FileCheck:
    """The check of one file: its findings, or why it could not be read."""

    file: str
    judged: bool = False
    format: str | None = None       # docx, md, txt
    encoding: str | None = None     # the text encoding read (None for .docx)
    text: str = ""
    findings: list[Finding] = field(default_factory=list)
    derivations: list[dict] = field(default_factory=list)  # derived figures accepted, with their arithmetic
    kind: dict | None = None        # the kind judged as: id, name, source, evidence, how
    error: str | None = None

    @property
    def read_as(self) -> str | None:
        """The encoding, when it was not UTF-8 (the user is told)."""
        return self.encoding.upper() if self.encoding and self.encoding not in _UTF8 else None

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def __getstate__(self) -> dict:
        # Findings travel from a worker as plain dicts: unpickling thousands of models
        # costs more than checking the file did.
        state = dict(self.__dict__)
        state["findings"] = [f.model_dump() for f in self.findings]
        return state

    def __setstate__(self, state: dict) -> None:
        from .._findings import Finding

        state["findings"] = [Finding.model_construct(**f) for f in state["findings"]]
        self.__dict__.update(state)

    def payload(self) -> dict:
        """The JSON object of this file (the same alone or among many)."""
        if self.error is not None:
            return {"file": self.file, "error": {"message": self.error}}
        kind = self.kind or {}
        return {"file": self.file, "format": self.format, "encoding": self.encoding,
                "kind": kind.get("id"), "kind_name": kind.get("name"), "kind_source": kind.get("source"),
                "kind_evidence": kind.get("evidence"),
                "judged_numbers": self.judged,
                "findings": [f.model_dump() for f in self.findings],
                "derivations": self.derivations,
                "summary": {"errors": self.errors, "warnings": self.warnings, "derived": len(self.derivations)}}


def check_file(path: str, options: CheckOptions) -> FileCheck:
    """Read one document (.docx, .md, .txt in any common encoding) and validate it.
    Raises InputError when it cannot be read."""
    from ..reading import read_document
    from ..validators import validate

    from .._kinds import resolve_kind

    doc = read_document(path, "文稿")
    if not doc.text.strip():
        raise InputError(f"文稿是空的（或只有空白）：{path}；没有可检查的内容", path=path)
    evidence = options.evidence
    choice = resolve_kind(doc.text, options.kind, options.spec.kind if options.spec else None, options.lexicons)
    findings = _validated(doc.text, options, evidence, choice.kind.id)
    kind = {"id": choice.kind.id, "name": choice.kind.name, "source": choice.source,
            "evidence": choice.evidence, "how": f"文种：{choice.kind.name}（{choice.kind.id}），{choice.how}"}
    derived: list[dict] = []
    if evidence is not None:
        from ..validators._numbers_check import derivations

        derived = derivations(doc.text, evidence, extra_lexicons=options.lexicons,
                              all_planned=choice.kind.all_planned or None)
    if doc.format == "docx" and any("\n" in p.text for p in doc.paragraphs):
        # a line break inside a Word paragraph: the line of a finding is still its paragraph
        findings = [_relocated(f, *doc.locate(f.start)) for f in findings]
    return FileCheck(path, options.judged, doc.format, doc.encoding, doc.text, findings, derived, kind)


#: From this many input figures on, the text's words and shape are checked in a forked
#: child while its figures are grounded here (building the index over a 10,000-row
#: ledger takes as long as those checks: bench/bench_import.py).
FORK_FROM_FIGURES = 3000
_TEXT_FAMILIES = ("register", "hygiene", "structure")


def _validated(text: str, options: CheckOptions, evidence, kind: str) -> list[Finding]:
    """``validate`` of every family; against a large input, the families that do not
    weigh figures run beside the numbers (:mod:`drafter._forked`), merged as one run gives them."""
    from ..validators import merge, validate

    def check(families=None):
        return validate(text, options.spec, evidence=evidence, kind=kind, fragment=options.fragment,
                        extra_lexicons=options.lexicons, families=families)

    if evidence is None or len(evidence.figures) < FORK_FROM_FIGURES:
        return check()
    from .._findings import Finding
    from .._forked import Forked

    words = Forked(lambda: check(_TEXT_FAMILIES), encode=lambda fs: [f.model_dump() for f in fs],
                   decode=lambda ds: [Finding.model_construct(**d) for d in ds])
    try:
        numbers = check(("numbers",))
    except BaseException:
        words.cancel()
        raise
    return merge([numbers, words.result()])


def _relocated(finding, line: int, column: int):
    return finding.model_copy(update={"line": line, "column": column})


def check_or_report(path: str, options: CheckOptions) -> FileCheck:
    """:func:`check_file`, with a file that cannot be read (or trips a bug of ours)
    turned into a FileCheck that says why, so the other files go on."""
    try:
        return check_file(path, options)
    except DrafterError as e:
        return FileCheck(path, options.judged, error=e.render() if isinstance(e, InputError) else str(e))
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the others
        return FileCheck(path, options.judged, error=f"内部错误：{type(e).__name__}: {e}")


# ----------------------------------------------------------------- many files


def collect_files(paths: Iterable[str]) -> list[str]:
    """The files to check: each path given, and in each folder every document below it
    (sorted; hidden files and folders, and Office's ~$ lock files, skipped)."""
    from ..reading import DOCUMENT_SUFFIXES

    wanted = set(DOCUMENT_SUFFIXES) | {".doc", ".wps"}  # the last two to say they need converting
    out: list[str] = []
    for given in paths:
        p = Path(given)
        if not p.is_dir():
            out.append(given)
            continue
        found = []
        for root, dirs, files in os.walk(p):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                if name.startswith((".", "~$")) or name.endswith("~"):  # hidden, Word's lock files, backups
                    continue
                if Path(name).suffix.lower() in wanted:
                    found.append(Path(root) / name)
        if not found:
            raise InputError(f"目录 {p} 中没有可检查的文稿（.docx、.md、.txt）", path=str(p))
        out += [str(f) for f in sorted(found, key=lambda f: f.relative_to(p).parts)]
    return out


@dataclass(frozen=True)
class Outcome:
    """One file's result as the many-files output needs it: the JSON line (JSON output)
    or the check itself (text output), and the counts for the closing table. Made where
    the file was checked, so a worker sends back a string rather than many objects."""

    file: str
    errors: int
    warnings: int
    read_as: str | None              # the encoding, when not UTF-8
    error: str | None
    line: str | None = None          # the JSON object, one line
    check: FileCheck | None = None   # for text output

    @classmethod
    def of(cls, r: FileCheck, as_json: bool) -> "Outcome":
        line = json_line(r.payload()) if as_json else None
        return cls(r.file, r.errors, r.warnings, r.read_as, r.error, line, None if as_json else r)


_worker_job: tuple[CheckOptions, bool] | None = None


def _init_worker(options: CheckOptions, as_json: bool) -> None:
    global _worker_job
    _worker_job = (options, as_json)


def _check_in_worker(path: str) -> Outcome:
    assert _worker_job is not None
    options, as_json = _worker_job
    return Outcome.of(check_or_report(path, options), as_json)


def check_files(paths: list[str], options: CheckOptions, jobs: int = 0, *, as_json: bool = False) -> Iterator[Outcome]:
    """Each file's outcome, in the order given. ``jobs``: worker processes (0: as many
    as there are CPUs, once there are ``PARALLEL_FROM`` files; 1: none)."""
    workers = jobs or (min(os.cpu_count() or 1, len(paths)) if len(paths) >= PARALLEL_FROM else 1)
    workers = min(workers, len(paths))
    if workers <= 1:
        for path in paths:
            yield Outcome.of(check_or_report(path, options), as_json)
        return
    from concurrent.futures import ProcessPoolExecutor

    _warm_up(options, paths)  # what is loaded here once, forked workers inherit
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                               initargs=(options, as_json))
    chunk = max(1, min(8, len(paths) // (workers * 4)))  # fewer round trips, output still flows
    try:
        yield from pool.map(_check_in_worker, paths, chunksize=chunk)
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _context():
    """fork where it is safe and cheap (Linux, one thread); spawn elsewhere."""
    import multiprocessing
    import threading

    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _warm_up(options: CheckOptions, paths: list[str]) -> None:
    """Load the word lists and the readers the files need, before the workers fork."""
    from ..validators import validate

    validate("。", options.spec, facts=options.facts, fragment=True, extra_lexicons=options.lexicons)
    suffixes = {Path(p).suffix.lower() for p in paths}
    if ".docx" in suffixes:
        import docx  # noqa: F401
    if suffixes - {".docx"}:
        import charset_normalizer  # noqa: F401


# ----------------------------------------------------------------- output


def print_one(result: FileCheck, as_json: bool) -> None:
    from ._view import print_findings

    if as_json:
        sys.stdout.write(json_line(result.payload(), indent=2) + "\n")
        return
    if result.read_as:
        sys.stderr.write(f"提示：{result.file} 按 {result.read_as} 编码读取\n")
    print_findings(result.text, result.findings, name=result.file, judged=result.judged,
                   derivations=result.derivations, header=(result.kind or {}).get("how"))


def report_many(outcomes: Iterable[Outcome], as_json: bool, judged: bool) -> int:
    """Print each file's result as it comes, then (in text) the total; the exit code:
    2 when a file could not be read, else 1 when a file has errors, else 0."""
    done: list[Outcome] = []
    con = None
    if not as_json:
        from ._view import console

        con = console()
    for o in outcomes:
        if o.line is not None:
            sys.stdout.write(o.line + "\n")
            sys.stdout.flush()
        elif o.check is not None:
            _print_file(con, o.check)
        done.append(Outcome(o.file, o.errors, o.warnings, o.read_as, o.error))  # not the text: memory
    if con is not None:
        con.print(_totals_table(done))
        if not judged:
            con.print("未提供 --input 或 --facts：数字未与输入核对。", style="dim")
    if any(o.error is not None for o in done):
        return 2
    return 1 if any(o.errors for o in done) else 0


def _print_file(con, r: FileCheck) -> None:
    from rich.rule import Rule
    from rich.text import Text

    from ._view import print_findings, printable

    read_as = f"（{r.read_as} 编码）" if r.read_as else ""
    con.print(Rule(Text(printable(r.file + read_as)), align="left", style="dim"))
    if r.error is not None:
        con.print(Text.assemble(("无法读取", "bold red"), "：" + printable(r.error)))
        return
    print_findings(r.text, r.findings, name=r.file, summary=False, derivations=r.derivations,
                   header=(r.kind or {}).get("how"))
    if r.findings:
        con.print(printable(f"{r.file}：错误 {r.errors}，提醒 {r.warnings}"))


def _totals_table(results: list[Outcome]):
    from rich.table import Table
    from rich.text import Text

    from ._view import printable

    t = Table(title=f"检查汇总（{len(results)} 个文件）")
    t.add_column("文件")
    t.add_column("错误", justify="right", style="red")
    t.add_column("提醒", justify="right", style="yellow")
    t.add_column("说明")
    for r in results:
        if r.error is not None:
            t.add_row(Text(printable(r.file)), "", "", Text("无法读取", style="red"))
        else:
            t.add_row(Text(printable(r.file)), str(r.errors), str(r.warnings), f"{r.read_as} 编码" if r.read_as else "")
    unread = sum(r.error is not None for r in results)
    t.add_row("合计", str(sum(r.errors for r in results)), str(sum(r.warnings for r in results)),
              f"{unread} 个无法读取" if unread else "", style="bold")
    return t

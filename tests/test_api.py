"""The public API: names guarded, and the offline path usable from Python."""

import drafter
from drafter import Drafter, load_spec
from helpers import REFERENCE_SPEC

EXPECTED = sorted(drafter.__all__)


def test_all_is_sorted_and_complete():
    assert drafter.__all__ == EXPECTED
    for name in drafter.__all__:
        assert hasattr(drafter, name), name
    public = {n for n in dir(drafter) if not n.startswith("_") and n[0].isupper()}
    assert public <= set(drafter.__all__), public - set(drafter.__all__)


def test_every_error_derives_from_the_root():
    for name in drafter.__all__:
        obj = getattr(drafter, name)
        if isinstance(obj, type) and issubclass(obj, Exception):
            assert issubclass(obj, drafter.DrafterError), name


def test_offline_draft_from_python(monkeypatch):
    monkeypatch.delenv("DRAFTER_MODEL", raising=False)
    spec = load_spec(REFERENCE_SPEC)
    draft = Drafter().draft(spec)
    assert [p.id for p in draft.sections] == [s.id for s in spec.sections]
    assert all(p.origin == "composer" for p in draft.parts)
    assert draft.parts[0].role == "opening" and draft.parts[-1].role == "closing"


def test_function_writer_drives_the_revise_loop_without_http():
    """drafter.testing.FunctionWriter lets callers test against drafter offline."""
    from drafter._composer import compose_section
    from drafter.testing import FunctionWriter

    spec = load_spec(REFERENCE_SPEC)

    def write(job):
        text = compose_section(job.report, job.report.section(job.part_id))
        return text if job.purpose == "revise" else text + "另新增案件999起。"

    writer = FunctionWriter(write, name="fn")
    draft = Drafter(writer=writer).draft(spec)
    assert len(writer.jobs) == 2 * len(spec.sections)
    for part in draft.sections:
        assert [a.purpose for a in part.attempts] == ["draft", "revise"]
        assert any(f.code == "N001" and f.excerpt == "999起" for f in part.attempts[0].findings)
        assert part.error_count == 0 and part.origin == "model:fn"
    revise = [j for j in writer.jobs if j.purpose == "revise"][0]
    assert "999起" in revise.messages[-1]["content"]

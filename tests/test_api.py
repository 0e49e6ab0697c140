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

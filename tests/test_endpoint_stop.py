"""Early stop and one shared backoff: a refused key, a malformed reply or rate limits
past the budget must not cost one request per section. Counts come from what
FakeOpenAIServer recorded, never from wall-clock time."""

from __future__ import annotations

import asyncio

import pytest
import yaml

from drafter._errors import ModelAuthError, ModelRequestError, ModelUnavailable
from drafter._pipeline import Drafter
from drafter._spec import Report
from drafter._throttle import EndpointState, RateLimitSpent
from drafter.testing import FakeOpenAIServer, Reply
from helpers import cli
from test_pipeline_model import Script, spec_data

KEY = "sk-stop-test-key-0001"


def many_sections(n: int) -> dict:
    data = spec_data(1)
    data["sections"] = [{"id": f"area-{i}", "topic": f"第{i}项专项工作", "aim": "工作成效大提升",
                         "facts": [f"全年开展专项检查{10 + i}次"]} for i in range(1, n + 1)]
    return data


def drafter_for(srv: FakeOpenAIServer, **kw) -> Drafter:
    kw.setdefault("timeout", 5.0)
    kw.setdefault("max_attempts", 3)
    return Drafter(model="fake-model", base_url=srv.base_url, api_key=KEY, **kw)


# -- auth failure: stop everything -----------------------------------------------------


@pytest.mark.parametrize("concurrency", [1, 4, 8])
def test_a_refused_key_stops_every_section(concurrency):
    spec = Report.model_validate(many_sections(40))
    with FakeOpenAIServer(require_key="sk-the-right-key") as srv:
        srv.handler = Script(spec)
        with pytest.raises(ModelAuthError) as info:
            drafter_for(srv, concurrency=concurrency).draft(spec)
        # Requests already in flight when the first 401 came back are all that was sent.
        assert 1 <= len(srv.requests) <= concurrency
    exc = info.value
    assert not exc.skipped and exc.status_code == 401 and exc.attempts == 1
    assert "OPENAI_API_KEY" in str(exc)
    assert {p.id for p in exc.draft.parts} == {"opening", "closing"}  # nothing is lost


def test_after_a_refused_key_later_calls_send_nothing(tmp_path):
    spec = Report.model_validate(many_sections(3))
    with FakeOpenAIServer(require_key="sk-the-right-key") as srv:
        d = drafter_for(srv, concurrency=1)
        with pytest.raises(ModelAuthError):
            d.draft_section(spec, "area-1")
        draft = Drafter().draft(spec)  # offline
        for sid in ("area-2", "area-3"):
            with pytest.raises(ModelAuthError) as info:
                d.regenerate(draft, sid, spec=spec, instruction="压缩")
            assert info.value.skipped and info.value.attempts == 0
            assert "已停止继续发送" in str(info.value) and "OPENAI_API_KEY" in str(info.value)
        assert len(srv.requests) == 1


def test_a_wrong_path_or_model_404_stops_every_section():
    spec = Report.model_validate(many_sections(20))
    with FakeOpenAIServer() as srv:
        srv.handler = lambda body: Reply(status=404, error="The model `fake-model` does not exist")
        with pytest.raises(ModelRequestError) as info:
            drafter_for(srv, concurrency=2).draft(spec)
        assert len(srv.requests) <= 2 and info.value.status_code == 404


def test_a_400_for_one_section_does_not_stop_the_others():
    spec = Report.model_validate(many_sections(4))
    with FakeOpenAIServer() as srv:
        script = Script(spec)
        script.queue("area-2", Reply(status=400, error="context length exceeded"))
        srv.handler = script
        with pytest.raises(ModelRequestError) as info:
            drafter_for(srv, concurrency=1).draft(spec)
        assert len(srv.requests) == 4  # every section was still tried
        assert {p.id for p in info.value.draft.parts} == {"opening", "area-1", "area-3", "area-4", "closing"}


def test_cli_regen_stale_stops_at_the_first_refused_key(tmp_path):
    data = many_sections(6)
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert cli("draft", "spec.yaml", "--save", "d.json", cwd=tmp_path).returncode == 0
    for s in data["sections"]:
        s["facts"][0] = s["facts"][0].replace("次", "次，覆盖全部单位")
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with FakeOpenAIServer(require_key="sk-the-right-key") as srv:
        res = cli("regen", "d.json", "--stale", "-m", "fake-model", "--base-url", srv.base_url,
                  cwd=tmp_path, env={"OPENAI_API_KEY": KEY})
        assert res.returncode == 1 and "HTTP 401" in res.stderr
        assert len(srv.requests) == 1
    assert KEY not in res.stderr


def test_cli_draft_with_a_refused_key_sends_at_most_one_wave(tmp_path):
    (tmp_path / "spec.yaml").write_text(yaml.safe_dump(many_sections(30), allow_unicode=True), encoding="utf-8")
    with FakeOpenAIServer(require_key="sk-the-right-key") as srv:
        res = cli("draft", "spec.yaml", "-m", "fake-model", "--base-url", srv.base_url, "--concurrency", "3",
                  "--save", "d.json", cwd=tmp_path, env={"OPENAI_API_KEY": KEY})
        assert res.returncode == 1 and "身份验证" in res.stderr and "HTTP 401" in res.stderr
        assert "已停止继续发送" not in res.stderr  # the error shown is the real one
        assert len(srv.requests) <= 3
    assert KEY not in res.stderr + res.stdout


# -- rate limits: one backoff for all ---------------------------------------------------


@pytest.mark.parametrize("sections, concurrency, attempts", [(30, 4, 3), (12, 8, 2), (20, 1, 4)])
def test_constant_429_is_bounded_by_the_budget_not_by_the_sections(sections, concurrency, attempts):
    spec = Report.model_validate(many_sections(sections))
    with FakeOpenAIServer() as srv:
        srv.handler = lambda body: Reply(status=429, headers={"Retry-After": "0"})
        with pytest.raises(ModelUnavailable) as info:
            drafter_for(srv, concurrency=concurrency, max_attempts=attempts).draft(spec)
        # One wave, then one probe per further round.
        assert len(srv.requests) <= concurrency + attempts - 1
    exc = info.value
    assert not exc.skipped and exc.status_code == 429 and "429" in str(exc)
    assert "已停止向该端点发送其余请求" in str(exc)


def test_retry_after_beyond_the_budget_fails_every_section_fast():
    spec = Report.model_validate(many_sections(25))
    with FakeOpenAIServer() as srv:
        srv.handler = lambda body: Reply(status=429, headers={"Retry-After": "3600"})
        with pytest.raises(ModelUnavailable) as info:
            drafter_for(srv, concurrency=4, max_attempts=4).draft(spec)
        assert len(srv.requests) <= 4
    msg = str(info.value)
    assert "3600 秒后再试" in msg and "超过了剩余的重试时限" in msg and "未再等待" in msg


def test_sections_share_one_backoff_and_all_finish():
    """A brief rate limit: the sections wait behind one gate and are all written."""
    spec = Report.model_validate(many_sections(6))
    with FakeOpenAIServer() as srv:
        script = Script(spec)
        limited = {"left": 2}

        def handler(body):
            if limited["left"] > 0:
                limited["left"] -= 1
                return Reply(status=429, headers={"Retry-After": "0.05"})
            return script(body)

        srv.handler = handler
        draft = drafter_for(srv, concurrency=1, max_attempts=3).draft(spec)
        assert [p.origin for p in draft.sections] == ["model:fake-model"] * 6
        assert len(srv.requests) == 6 + 2


# -- the shared state itself (a fake clock: no sleeping) ----------------------------------


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_answers_of_one_wave_count_as_one_round():
    clock = Clock()
    state = EndpointState(max_rounds=3, budget=60, clock=clock)

    async def go():
        tickets = [await state.before_request() for _ in range(5)]  # a wave of five
        for t in tickets:
            state.rate_limited(t, 1.0, lambda n: 0.0)
        return state._rounds

    assert asyncio.run(go()) == 1


def test_a_spent_rate_limit_stops_calls_for_a_cooldown_then_allows_a_new_run():
    clock = Clock()
    state = EndpointState(max_rounds=2, budget=60, clock=clock)

    async def spend():
        for _ in range(2):
            t = await state.before_request()
            try:
                state.rate_limited(t, 0.0, lambda n: 0.0)
            except RateLimitSpent as spent:
                return spent
        return None

    spent = asyncio.run(spend())
    assert spent is not None and spent.rounds == 2
    state.stop(ModelUnavailable("限流", status_code=429), seconds=60)
    clock.now += 59
    with pytest.raises(ModelUnavailable) as info:
        state.check()
    assert info.value.skipped
    clock.now += 2
    state.check()  # the cooldown is over: a new run may try again, with a fresh budget
    assert state._rounds == 0


def test_a_stop_for_good_outlasts_any_cooldown():
    clock = Clock()
    state = EndpointState(max_rounds=2, budget=60, clock=clock)
    state.stop(ModelAuthError("密钥错误", status_code=401))
    state.stop(ModelUnavailable("限流"), seconds=1)  # does not replace it
    clock.now += 10_000
    with pytest.raises(ModelAuthError) as info:
        state.check()
    assert info.value.status_code == 401 and "密钥错误" in str(info.value)

"""Prompt and scaffold templates: jinja2, sandboxed, strict.

Templates live in ``prompts/<kind>/``. A user's own prompt folder overrides the
bundled one file by file (same relative path). Input text reaches templates as data
only: the sandbox forbids attribute tricks, StrictUndefined makes a missing variable
an error rather than an empty string, and the ``data`` filter quotes user text so
that a fact cannot close the data block it stands in.

Filters for the composer's scaffolds (word lists in ``drafter/data/composer/``):
``sentences`` (facts → sentences that end where the meaning ends; optional length
limit and run-in lead), ``run_in`` (a sub-point with its heading run in),
``is_clause_heading``/``noun_lead``, ``lead`` (a named lead such as 一年来，written
only when the text lacks it), ``trim_lead``, ``guided_by`` (leadership line and
guidance with the organ written once; ``verb`` 将 for a plan), ``with_subject`` (the
honours), ``speaks`` (a speaker's 我 in front of a paragraph), ``enumerated``
(一是……；二是……), ``numbered`` (a numbered sub-point: heading sentence, facts),
``ordinal`` (一, 二 …). Scaffolds also receive ``frame`` (drafter._frame.Frame: e.g.
``frame.point_ordinal(n)``, the ordinal of the n-th numbered sub-point).
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ._errors import PromptError
from ._headings import chinese_ordinal
from ._prose import enumerated, guided_by, is_clause_heading, noun_lead, numbered, run_in, speaks, trim, with_subject
from ._prose import lead as named_lead
from ._resources import resource_dir
from ._sentences import plan
from ._spec import fact_text


def _data(value: object) -> str:
    """Quote user text for a prompt: one line, and no fence a fact could close."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return text.replace("```", "'''").replace("<<", "«").replace(">>", "»")


def _sentences(facts, limit: int | None = None, lead: str = "") -> list[str]:
    """Facts as sentences that end where the meaning ends (see drafter._sentences);
    ``limit`` caps a sentence's length in characters (a soft limit at fact bounds)."""
    return plan(facts, lead=lead, max_chars=limit)


def _clause(text: str | None) -> str:
    return (text or "").strip().rstrip("。；;，,")


@lru_cache(maxsize=16)
def environment(kind: str, user_dir: str | None = None) -> SandboxedEnvironment:
    search = [str(resource_dir("prompts") / kind)]
    if user_dir:
        search.insert(0, str(Path(user_dir) / kind) if (Path(user_dir) / kind).is_dir() else str(user_dir))
    env = SandboxedEnvironment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["data"] = _data
    env.filters["sentences"] = _sentences
    env.filters["clause"] = _clause
    env.filters["fact_text"] = fact_text
    # the composer's seams (drafter/data/composer/wording.yaml)
    env.filters["lead"] = named_lead
    env.filters["trim_lead"] = trim
    env.filters["guided_by"] = guided_by
    env.filters["with_subject"] = with_subject
    env.filters["speaks"] = speaks
    env.filters["enumerated"] = enumerated
    env.filters["numbered"] = numbered
    env.filters["run_in"] = run_in
    env.filters["is_clause_heading"] = is_clause_heading
    env.filters["noun_lead"] = noun_lead
    env.filters["ordinal"] = chinese_ordinal
    return env


def render(kind: str, name: str, *, user_dir: str | None = None, **context: object) -> str:
    env = environment(kind, user_dir)
    try:
        return env.get_template(name).render(**context).strip()
    except jinja2.TemplateNotFound:
        raise PromptError(f"找不到模板 {kind}/{name}（文种 {kind} 的模板目录中没有该文件）") from None
    except jinja2.UndefinedError as e:
        raise PromptError(f"模板 {kind}/{name} 用到了未提供的变量：{e.message}") from None
    except jinja2.TemplateSyntaxError as e:
        raise PromptError(f"模板 {e.filename or name} 第 {e.lineno} 行语法错误：{e.message}") from None
    except jinja2.sandbox.SecurityError as e:
        raise PromptError(f"模板 {kind}/{name} 试图做沙箱不允许的操作：{e}") from None


def template_digest(kind: str, names: tuple[str, ...], user_dir: str | None = None) -> str:
    """Digest of the template sources a draft was made with (for staleness)."""
    env = environment(kind, user_dir)
    h = hashlib.sha256()
    for n in names:
        try:
            src, _, _ = env.loader.get_source(env, n)  # type: ignore[union-attr]
        except jinja2.TemplateNotFound:
            src = ""
        h.update(n.encode() + b"\0" + src.encode("utf-8") + b"\0")
    return h.hexdigest()[:16]

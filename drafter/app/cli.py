"""The ``drafter`` command. Text goes to stdout, progress and messages to stderr.

Exit codes: 0 fine; 1 the draft or text has errors (or the model failed);
2 bad usage or unreadable input; 130 interrupted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys

from .. import __version__
from .._errors import (ConfidentialityError, DraftRejected, DrafterError, EditProtected, InputError, ModelError,
                      PromptError, SessionLocked)
from .._spec import DOCUMENT_KINDS

EXAMPLES = """示例：
  drafter init my-report.yaml                 生成带注释的输入样例（--kind work_summary|debriefing|work_plan 换文种）
  drafter draft examples/self-inspection-2021.yaml           离线起草，输出 Markdown
  drafter draft SPEC -m qwen-plus --base-url URL --save d.json  用模型起草并保存草稿文件
  drafter check report.txt --input SPEC       按输入核对一份文稿
  drafter check 各单位报告/ --format json     检查目录中的全部文稿（.docx/.md/.txt），每行一个结果
  drafter regen d.json public-service --instruction "压缩到300字以内"
  drafter status d.json / drafter regen d.json --stale / drafter export d.json --format docx -o 报告.docx
  drafter session SPEC                        交互式起草
  drafter import 2024台账.xlsx 材料.docx -o SPEC.yaml       由台账和材料生成输入文件
  drafter check 报告.docx --facts 2024台账.xlsx             按台账核对一份文稿
"""


class _Parser(argparse.ArgumentParser):
    lazy_epilog = None  # a function giving the epilog, called only when help is shown

    def format_help(self) -> str:
        if self.lazy_epilog is not None:
            self.epilog = self.lazy_epilog()
        return super().format_help()

    def error(self, message: str) -> None:  # exit 2 with a Chinese hint, no traceback
        self.print_usage(sys.stderr)
        sys.stderr.write(f"drafter: 用法错误：{message}\n（drafter --help 查看帮助）\n")
        raise SystemExit(2)


def _model_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("模型（不配置则用离线撰稿器）")
    g.add_argument("-m", "--model", help="模型名，或环境变量 DRAFTER_MODEL")
    g.add_argument("--base-url", help="OpenAI 兼容接口地址，或环境变量 OPENAI_BASE_URL（密钥只从 OPENAI_API_KEY 读取）")
    g.add_argument("--concurrency", type=int, default=4, help="同时起草的部分数（默认 4）")
    g.add_argument("--max-revisions", type=int, default=2, help="每部分按检查意见修改的最多次数（默认 2）")
    g.add_argument("--on-rejected", choices=["raise", "flag", "composer"], default="raise",
                   help="修改后仍有错误时：raise 报错退出（默认）、flag 标记保留、composer 改用离线撰稿")
    g.add_argument("--allow-confidential", action="store_true",
                   help="确认该接口已获准处理含密级标志或个人信息的材料")
    g.add_argument("--timeout", type=float, default=60.0, help="单次请求超时秒数（默认 60）")
    g.add_argument("--prompts", help="自定义提示词目录，按相对路径覆盖内置模板")
    g.add_argument("--lexicon", action="append", default=[], help="追加的词表文件（可多次）")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是整数：{value}") from None
    if n < 0:
        raise argparse.ArgumentTypeError("不能为负数")
    return n


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="drafter", description="按结构化输入起草公文，并逐条核对每个数字。",
                     epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"drafter {__version__}", help="显示版本号")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)

    p = sub.add_parser("draft", help="起草整篇报告")
    p.add_argument("spec", help="输入文件（YAML 或 JSON）")
    p.add_argument("-o", "--output", help="写入文件（默认输出到标准输出）")
    p.add_argument("-f", "--format", choices=["md", "txt", "json", "docx"], default="md", help="输出格式（默认 md）")
    p.add_argument("--save", metavar="DRAFT.json", help="保存草稿文件，供 regen/status/export/session 使用")
    p.add_argument("--only", action="append", metavar="ID", help="只起草指定部分（可多次）")
    p.add_argument("--stream", action="store_true", help="起草单个部分时边生成边显示")
    p.add_argument("--force", action="store_true",
                   help="--save 的草稿文件中有手工修改的部分（或它不是草稿文件）时仍然替换")
    _model_options(p)

    p = sub.add_parser("check", help="检查文稿（可多个文件或目录）", formatter_class=argparse.RawDescriptionHelpFormatter)
    p.lazy_epilog = _kinds_help
    p.add_argument("files", nargs="+", metavar="FILE",
                   help="要检查的文稿：Word（.docx）、Markdown 或文本（UTF-8、GB18030/GBK、UTF-16 均可）；"
                        "给目录则检查其中所有文稿")
    p.add_argument("--kind", metavar="KIND", help="按指定文种检查（缺省按标题识别，见下方文种列表）")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--input", metavar="SPEC", help="按输入文件核对数字")
    src.add_argument("--facts", metavar="FACTS", help="按事实清单核对数字：台账（.xlsx、.csv，每行一条事实，"
                     "发现的问题注明单元格），或文本清单（每行一条，# 开头为注释）")
    p.add_argument("--columns", metavar="字段=表头,…", help="台账中不认识的表头，如 事项=工作名称,数值=完成情况")
    p.add_argument("--fragment", action="store_true", help="只是文稿的一部分：不查标题、开头、结尾")
    p.add_argument("--format", choices=["text", "json"], default="text",
                   help="输出格式（默认 text）；多个文件时 json 每行一个对象（JSON Lines）")
    p.add_argument("--lexicon", action="append", default=[], help="追加的词表文件（可多次）")
    p.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                   help="同时检查的进程数（默认：16 个文件以上时按 CPU 数并行；1 为不并行）")

    p = sub.add_parser("import", help="由台账（Excel、CSV）和材料（Word、文本）生成带注释的输入文件")
    p.add_argument("files", nargs="+", metavar="FILE", help="台账 .xlsx/.csv 或材料 .docx/.txt/.md，按顺序合并")
    p.add_argument("-o", "--output", help="写入的输入文件，如 2024.yaml（默认输出到标准输出）")
    p.add_argument("--kind", default="self_inspection", help="文种（默认 self_inspection）")
    p.add_argument("--organ", help="报告单位，如 某某区委政法委")
    p.add_argument("--period", type=int, help="报告年度，如 2024（默认取材料中出现的年份）")
    p.add_argument("--columns", metavar="字段=表头,…",
                   help="台账中不认识的表头，如 板块=类别,数值=完成数（字段：板块 分项 事项 数值 单位 同比 来源 计划 时间）")
    p.add_argument("--force", action="store_true", help="输出文件已存在且不是输入文件时也覆盖")

    p = sub.add_parser("schema", help="输出输入文件的 JSON Schema")
    p.add_argument("-o", "--output", help="写入文件")

    p = sub.add_parser("init", help="生成带注释的输入样例")
    p.add_argument("file", help="要生成的文件，如 my-report.yaml")
    p.add_argument("--kind", choices=list(DOCUMENT_KINDS), default="self_inspection",
                   help="文种：" + "、".join(f"{k} {v}" for k, v in DOCUMENT_KINDS.items()) + "（默认 self_inspection）")
    p.add_argument("--force", action="store_true", help="覆盖已有文件")

    p = sub.add_parser("regen", help="重新生成草稿中的一个部分")
    p.add_argument("draft", help="草稿文件")
    p.add_argument("section", nargs="?", help="部分的 id 或序号")
    p.add_argument("--instruction", help="修改要求，如“压缩到300字以内”")
    p.add_argument("--stale", action="store_true", help="重新生成所有输入已变的部分")
    p.add_argument("--spec", help="输入文件（默认用草稿记录的路径）")
    p.add_argument("--force", action="store_true", help="允许覆盖手工修改的部分")
    p.add_argument("--stream", action="store_true", help="边生成边显示")
    _model_options(p)

    p = sub.add_parser("status", help="列出草稿各部分及过期情况")
    p.add_argument("draft", help="草稿文件")
    p.add_argument("--spec", help="输入文件（默认用草稿记录的路径）")
    p.add_argument("--prompts", help="起草时用的自定义提示词目录")
    p.add_argument("--facts", action="store_true", help="列出各部分的事实及出处（台账单元格、材料段落）")

    p = sub.add_parser("export", help="导出草稿")
    p.add_argument("draft", help="草稿文件")
    p.add_argument("-f", "--format", choices=["md", "txt", "json", "docx"], default="md")
    p.add_argument("-o", "--output", help="写入文件（docx 必须指定）")

    p = sub.add_parser("session", help="交互式起草")
    p.add_argument("target", help="输入文件或草稿文件")
    p.add_argument("--draft", help="草稿文件（默认在输入文件旁：NAME.draft.json）")
    _model_options(p)
    return parser


def _kinds_help() -> str:
    from .._kinds import kind_ids, kinds

    reg = kinds()
    width = max(len(k) for k in reg)
    rows = [f"  {k.ljust(width)}  {reg[k].name}：{reg[k].description}" for k in kind_ids()]
    return ("文种（--kind 的取值；缺省时按标题识别，识别不出按 generic 检查）：\n" + "\n".join(rows)
            + "\n\n组织可用 --lexicon 追加或修改文种文件（顶层写 kind: 的 YAML 文件），格式见 README。")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    from . import _commands

    try:
        return getattr(_commands, f"cmd_{args.command}")(args)
    except DraftRejected as e:
        _err(str(e))
        return 1
    except (InputError, ConfidentialityError, PromptError, SessionLocked, EditProtected) as e:
        _err(e.render() if isinstance(e, InputError) else str(e))
        return 2
    except ModelError as e:
        _err(f"模型调用失败：{e}")
        return 1
    except DrafterError as e:
        _err(str(e))
        return 1
    except KeyboardInterrupt:
        _err("已中断。")
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug of ours: say so briefly, never a raw traceback
        if os.environ.get("DRAFTER_DEBUG"):
            raise
        _err(f"内部错误：{type(e).__name__}: {e}（设置环境变量 DRAFTER_DEBUG=1 可查看详情，欢迎报告此问题）")
        return 1


def _err(message: str) -> None:
    sys.stderr.write(f"drafter: {message}\n")


def entry() -> None:
    """The ``drafter`` command (and ``python -m drafter``).

    The cyclic garbage collector is tuned for a run of drafter: it builds large data
    that lives to the end (a 10,000-row ledger's facts and their index, a long text's
    findings) and makes little cyclic garbage, and with Python's defaults (a pass every
    700 new objects, full passes over everything as the heap grows) collecting cost a
    third of ``check --facts LEDGER``. Young garbage is still collected, less often;
    and the process ends without a last full pass over objects it is about to drop."""
    gc.set_threshold(50_000, 20, 100)
    try:
        code = main()
    finally:
        gc.freeze()
    _end(code)


def _end(code: int) -> None:
    """End the process once its output is out, without taking apart every object it
    built one by one (a twentieth of a second after ``check --facts`` of a 10,000-row
    ledger). Files are closed by then (each is written inside a ``with``); drafter
    registers no exit handlers."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (drafter check … | head) or stream
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()

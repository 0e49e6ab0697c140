"""The JSON Schema in schemas/ is generated from the input model and kept current."""

import json

from drafter.app._commands import schema_text
from helpers import ROOT, cli


def test_schema_file_is_current():
    on_disk = (ROOT / "schemas" / "report.schema.json").read_text(encoding="utf-8")
    assert on_disk == schema_text(), "schemas/report.schema.json is stale: run `drafter schema -o schemas/report.schema.json`"


def test_schema_command_prints_it():
    r = cli("schema")
    assert r.returncode == 0
    schema = json.loads(r.stdout)
    assert schema["properties"]["sections"]["type"] == "array"
    assert schema["additionalProperties"] is False


def test_init_writes_a_starter_that_drafts(tmp_path):
    target = tmp_path / "my.yaml"
    r = cli("init", str(target))
    assert r.returncode == 0, r.stderr
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=./report.schema.json"
    assert (tmp_path / "report.schema.json").exists()
    r = cli("draft", str(target))
    assert "312起" in r.stdout
    # The starter's 某某 names are placeholders: drafting works and flags them to be filled in.
    assert r.returncode == 1 and "某某" in r.stderr and "H003" in r.stderr
    filled = text.replace("某某", "城关")
    target.write_text(filled, encoding="utf-8")
    assert cli("draft", str(target)).returncode == 0
    again = cli("init", str(target))
    assert again.returncode == 2 and "已存在" in again.stderr

"""The pinyin keys come from app/pinyin_table.txt, not from pypinyin's dictionaries (issue 16),
and are exactly the keys pypinyin gave (issue 14, item 4): the keys stored in existing
databases keep matching what a search computes.

Compared here with pypinyin itself: every phrase of its dictionary, every character the app
reads as Chinese, seeded random runs of its phrases and polyphonic characters, and every name
the tests know: the Chinese of the app's and the scripts' source (the demo district, the
reference data, the benchmark's data set), the benchmark's generated unit and project names,
and the catalogue's translations (the fixed choices of the selects).
"""
from __future__ import annotations

import ast
import importlib.util
import itertools
import random
import re
from pathlib import Path

import pytest

from app import pinyin, pinyin_table

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]+")


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def pypinyin_keys():
    """keys() as it stood on pypinyin: the migration that first filled the keys keeps it."""
    migration = next((ROOT / "app" / "migrations" / "versions").glob("d0f639b6d0b0_*.py"))
    return _load(migration, "pinyin_keys_migration")._name_keys


def _source_texts() -> set[str]:
    """Every string constant with Chinese in app/ and scripts/ (f-strings: their parts)."""
    found = set()
    for path in itertools.chain((ROOT / "app").rglob("*.py"), (ROOT / "scripts").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and HAN.search(node.value):
                found.add(node.value)
    return found


def _catalogue_texts() -> set[str]:
    po = (ROOT / "app" / "translations" / "zh" / "LC_MESSAGES" / "messages.po").read_text(
        encoding="utf-8")
    return {m for m in re.findall(r'^msgstr "(.*)"$', po, re.MULTILINE) if HAN.search(m)}


def _benchmark_names() -> set[str]:
    """The names scripts/bench/dataset.py gives its 20,000 units and 100,000 projects, each
    pattern with every part."""
    from app.seed.clients import STREETS
    from app.seed.reference import TOWNS
    from bench import dataset

    units = {f"阳江市江城区{trade}{n:05d}{kind}" for trade in dataset.TRADES
             for n in (1, 20000) for _, _, kind in dataset.UNIT_KINDS}
    projects = {f"{town}{street}{purpose}项目（{n}）" for _, town in TOWNS for street in STREETS
                for purpose in dataset.PURPOSES for n in (7,)}
    people = {surname + given for surname in dataset.SURNAMES for given in dataset.GIVEN}
    return units | projects | people


def test_the_table_is_what_the_installed_pypinyin_gives():
    """scripts/pinyin_table.py writes the shipped file: run it after upgrading pypinyin."""
    script = _load(ROOT / "scripts" / "pinyin_table.py", "pinyin_table_script")
    assert pinyin_table.TABLE.read_text(encoding="utf-8") == script.table_text(), \
        "app/pinyin_table.txt is stale: run scripts/pinyin_table.py"


def test_every_phrase_and_character_reads_as_in_pypinyin():
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT

    chars = [chr(c) for c in itertools.chain(range(0x3400, 0x4DC0), range(0x4E00, 0xA000))]
    differ = [w for w in itertools.chain(PHRASES_DICT, chars)
              if pinyin_table.syllables(w) != tuple(lazy_pinyin(w))]
    assert len(PHRASES_DICT) > 40_000
    assert differ == []


def test_polyphonic_phrases_read_as_phrases():
    for words, expected in (("重庆", "chong qing"), ("银行", "yin hang"), ("长江", "chang jiang"),
                            ("行长", "hang zhang"), ("朝阳", "zhao yang"),
                            ("朝阳区", "chao yang qu"), ("重庆银行行长", "chong qing yin hang hang zhang"),
                            ("绿化", "lv hua"), ("〇", "〇")):
        assert " ".join(pinyin_table.syllables(words)) == expected, words


def test_runs_of_phrases_and_polyphonic_characters_cut_as_pypinyin_cuts_them():
    """Forward maximum matching across phrase boundaries (a phrase's tail starting the next
    one, a prefix of phrases that is no phrase): 4,000 seeded runs."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    rng = random.Random(16)
    phrases = sorted(PHRASES_DICT)
    polyphonic = sorted(p for p in phrases if any("," in PINYIN_DICT[ord(c)] for c in p))
    parts = []
    for _ in range(4000):
        run = "".join(rng.choice(polyphonic if rng.random() < 0.5 else phrases)
                      for _ in range(rng.randint(1, 5)))
        start = rng.randint(0, 2)
        parts.append(run[start:] or run)
    differ = [run for run in parts if pinyin_table.syllables(run) != tuple(lazy_pinyin(run))]
    assert differ == []


def test_every_name_we_have_keeps_its_keys(pypinyin_keys):
    names = _source_texts() | _catalogue_texts() | _benchmark_names()
    runs = {run for name in names for run in HAN.findall(name)}
    # a name made of two parts reads across their boundary
    pairs = {a + b for a, b in itertools.pairwise(sorted(runs))}
    corpus = names | pairs
    differ = [name for name in corpus if pinyin.keys(name) != pypinyin_keys(name)]
    assert len(corpus) > 5_000
    assert differ == []

"""The bundled demo case: built all-or-nothing, every kind present, the key
moments in place, exhibit files intact, and not one rating word anywhere."""

from __future__ import annotations

import hashlib
import re
import stat
from pathlib import Path

import pytest

from case_workbook.demo import build as demo_build
from case_workbook.demo.build import build_demo, grey_png
from case_workbook.model.items import Communication, Exhibit, KeyMoment, Kind
from case_workbook.model.when import Precision
from case_workbook.store.case_file import CaseFile
from case_workbook.store.errors import CaseFileError
from case_workbook.store.exhibits import read_blob, verify_exhibits

RATING_WORDS = re.compile(
    r"\b(score[sd]?|scoring|strength|likelihood|probabilit(y|ies)|odds|weak(ness)?|strong)\b",
    re.IGNORECASE)
DEMO_SOURCE = Path(demo_build.__file__).parent


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory) -> Path:
    return build_demo(tmp_path_factory.mktemp("demo") / "d.cwb")


@pytest.fixture
def demo(demo_path):
    with CaseFile.open(demo_path, readonly=True) as case:
        yield case


def test_demo_file_is_owner_only(demo_path):
    assert demo_path.is_file()
    assert stat.S_IMODE(demo_path.stat().st_mode) == 0o600
    leftovers = [p.name for p in demo_path.parent.iterdir() if p.name != demo_path.name]
    assert leftovers == []


def test_demo_opens_for_editing(demo_path):
    with CaseFile.open(demo_path) as case:
        assert case.header.title == "People v. Doe (demo)"
        assert case.header.case_number == "DEMO-2026-0001"
        assert case.framework.id == "general"
        assert case.settings.default_tz == "America/Los_Angeles"


def test_every_kind_present_and_sensible_total(demo):
    counts = demo.counts()
    assert all(counts[kind] >= 1 for kind in Kind), counts
    assert 30 <= sum(counts.values()) <= 40, counts


def test_key_moments_present(demo):
    moments = {event.key_moment for event in demo.items(Kind.EVENT) if event.key_moment}
    assert {KeyMoment.ACT_START, KeyMoment.ACT_END, KeyMoment.THREAT_ENDED} <= moments
    assert moments & {KeyMoment.ARREST, KeyMoment.SURRENDER}
    for event in demo.items(Kind.EVENT):
        if event.key_moment:
            assert event.when.is_dated()
            assert event.when.tz == "America/Los_Angeles"


def test_whens_use_a_mix_of_precisions(demo):
    found = {item.when_value().precision for item in demo.items()
             if item.when_value() is not None}
    assert {Precision.EXACT, Precision.APPROXIMATE, Precision.DAY, Precision.RANGE} <= found
    threat_precisions = {threat.when.precision for threat in demo.items(Kind.THREAT)}
    assert len(threat_precisions) >= 4


def test_all_whens_in_march_2026_los_angeles(demo):
    for item in demo.items():
        when = item.when_value()
        if when is not None and when.is_dated():
            assert when.tz == "America/Los_Angeles", item.id
            assert (when.start.year, when.start.month) == (2026, 3), item.id


def test_exhibit_bytes_match_their_hashes(demo):
    exhibits = demo.items(Kind.EXHIBIT)
    assert 3 <= len(exhibits) <= 4
    for exhibit in exhibits:
        assert isinstance(exhibit, Exhibit) and exhibit.file is not None
        data = b"".join(read_blob(demo, exhibit.file.sha256))
        assert hashlib.sha256(data).hexdigest() == exhibit.file.sha256
        assert len(data) == exhibit.file.size > 0
        assert exhibit.custody
    assert {check.status for check in verify_exhibits(demo)} == {"ok"}
    assert any(ex.bates == "PEOPLE-000123–000125" for ex in exhibits)


def test_demo_png_is_a_valid_image(demo):
    pngs = [ex for ex in demo.items(Kind.EXHIBIT) if ex.file.original_name.endswith(".png")]
    assert len(pngs) == 1
    data = b"".join(read_blob(demo, pngs[0].file.sha256))
    assert data == grey_png(16, 16)
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data.endswith(b"IEND\xaeB`\x82")


def test_links_and_themes(demo):
    items = demo.items()
    theme_ids = {theme.id for theme in demo.framework.themes}
    tagged = [item for item in items if item.themes]
    assert len(tagged) > len(items) / 2
    assert len(tagged) < len(items)  # a few are left untagged
    assert all(link.theme_id in theme_ids for item in tagged for link in item.themes)
    assert any(item.related for item in items)
    assert any(item.exhibits for item in items)
    for threat in demo.items(Kind.THREAT):
        assert threat.made_by


def test_verbatim_contents_kept(demo):
    contents = [c.content for c in demo.items(Kind.COMMUNICATION) if isinstance(c, Communication)]
    assert any(text[:1] in "=+-@" and text for text in contents)
    assert any("🚗" in text for text in contents)
    assert any("[" in text and "]" in text for text in contents)


def test_building_over_an_existing_file_is_refused(tmp_path):
    target = tmp_path / "d.cwb"
    target.write_bytes(b"something of the person's own")
    with pytest.raises(CaseFileError):
        build_demo(target)
    assert target.read_bytes() == b"something of the person's own"
    assert [p.name for p in tmp_path.iterdir()] == ["d.cwb"]


def test_building_over_an_existing_demo_is_refused(demo_path):
    before = demo_path.read_bytes()
    with pytest.raises(CaseFileError):
        build_demo(demo_path)
    assert demo_path.read_bytes() == before


def test_no_rating_words_in_demo_source():
    sources = sorted(DEMO_SOURCE.glob("*.py"))
    assert {p.name for p in sources} >= {"__init__.py", "build.py", "content.py"}
    for path in sources:
        hits = RATING_WORDS.findall(path.read_text(encoding="utf-8"))
        assert not hits, (path.name, hits)


def test_no_rating_words_in_demo_case(demo):
    texts = [demo.header.model_dump_json()]
    texts += [item.model_dump_json() for item in demo.items()]
    for exhibit in demo.items(Kind.EXHIBIT):
        if not exhibit.file.original_name.endswith(".png"):
            texts.append(b"".join(read_blob(demo, exhibit.file.sha256)).decode("utf-8"))
    for text in texts:
        assert not RATING_WORDS.search(text), RATING_WORDS.search(text)

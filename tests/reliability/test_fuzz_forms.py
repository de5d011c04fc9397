"""Fuzzing every field a person types into, through the real app (Pilot):
the item forms, the new-case form, the export dialog's path, a theme link's
note and the open-file path. Whatever is typed, the app keeps running; a
refusal is said in words on the screen; and text that is accepted is in the
case file exactly as it stood in the field.

One app serves all the examples of a test (see app_thread.py); the example
counts are the constants below.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from app_thread import AppThread
from fuzz_support import examples, nasty_text
from hypothesis import event, example, given
from hypothesis import strategies as st
from textual.widgets import Input, Static, TabbedContent, TextArea

from case_workbook.model.case import CaseHeader, CaseSettings
from case_workbook.model.framework import load_builtin
from case_workbook.model.items import Kind, Person, Threat
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.add_file import AddFileScreen
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.export_screen import ExportScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.tui.screens.new_case import NewCaseScreen
from case_workbook.tui.screens.open_file import OpenFileScreen
from case_workbook.tui.screens.tag_screen import TagScreen
from case_workbook.tui.widgets.when_field import WhenField
from case_workbook.user_state import UserState

# Examples per form in an ordinary run (ten times as many with --long). Pilot
# drives a whole app, about half a second an example, so these are few.
ITEM_FORM_EXAMPLES = 25
NEW_CASE_EXAMPLES = 20
EXPORT_PATH_EXAMPLES = 20
THEME_NOTE_EXAMPLES = 20
OPEN_PATH_EXAMPLES = 20
ADD_FILE_EXAMPLES = 15

# Long text, and text a field would never see from a keyboard.
field_text = st.one_of(nasty_text, nasty_text.map(lambda t: ((t or "long ") * 3000)[:20_000]))
# A file name inside the test's folder (never one that climbs out of it).
file_name = nasty_text.filter(lambda t: ".." not in t and "/" not in t)

TABS = {Kind.THREAT: "tab-threat", Kind.WITNESS: "tab-witness",
        Kind.COMMUNICATION: "tab-communication", Kind.ACTION: "tab-action",
        Kind.EVENT: "tab-event", Kind.PERSON: "tab-person", Kind.EXHIBIT: "tab-exhibit"}
TYPED_FIELDS = {"text", "csv", "area", "long", "when"}


async def until(pilot, check, tries: int = 200) -> None:
    for _ in range(tries):
        assert_alive(pilot.app)
        if check():
            return
        await pilot.pause(0.01)
    assert check(), "the screen did not get there"


def shown_errors(screen) -> list[str]:
    """The error lines the screen shows now (inline, under fields or at the top)."""
    found = []
    for widget in screen.query(".field-error, .error, #form-error, #tag-error"):
        if isinstance(widget, Static) and widget.display and (
                widget.has_class("-shown") or not widget.has_class("error")):
            text = str(widget.render()).strip()
            if text:
                found.append(text)
    found += [w.reading for w in screen.query(WhenField) if w.has_class("-invalid")]
    return found


def assert_alive(app) -> None:
    assert app._exception is None, f"the app failed: {app._exception!r}"
    assert app.is_running


def a_case(path: Path) -> Path:
    case = CaseFile.create(path, CaseHeader(title="Fuzz"), load_builtin("general"),
                           settings=CaseSettings(default_tz="Europe/Berlin"), actor="tester")
    case.add(Person(name="Ann"))
    case.add(Threat(summary="A threat"))
    case.close()
    return path


def stored(path: Path, kind: Kind | None = None) -> dict:
    with CaseFile.open(path, readonly=True) as case:
        return {item.id: item for item in case.items(kind)}


# --- the item forms -------------------------------------------------------------

def test_item_form_fields_take_any_text(request, tmp_path):
    path = a_case(tmp_path / "case.cwb")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))

    async def fill_and_save(pilot, app, kind: Kind, texts: list[str]):
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        app.screen.query_one(TabbedContent).active = TABS[kind]
        await pilot.pause()
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
        form = app.screen
        held = {}
        for spec, text in zip([s for s in form.fields if s.type in TYPED_FIELDS], texts,
                              strict=False):
            widget = form.query_one(f"#f-{spec.name}")
            if isinstance(widget, WhenField):
                widget.input.value = text
                widget = widget.input
            if isinstance(widget, TextArea):
                widget.text = text
                held[spec.name] = (spec.type, widget.text)
            else:
                widget.value = text
                held[spec.name] = (spec.type, widget.value)
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not form or shown_errors(form))
        if app.screen is form:
            errors = shown_errors(form)
            form.dismiss(None)
            return held, errors
        return held, None

    @examples(request, ITEM_FORM_EXAMPLES)
    @given(st.sampled_from(list(TABS)), st.lists(field_text, min_size=1, max_size=12))
    @example(Kind.PERSON, ["[bold]Ann[/]", "=1+1, [link=x]y[/link], \x00"])
    def check(kind, texts):
        before = set(stored(path, kind))
        held, errors = runner.run(lambda pilot, app: fill_and_save(pilot, app, kind, texts))
        assert_alive(app)
        now = stored(path, kind)
        if errors is not None:
            assert errors, "the form stayed open without saying why"
            assert set(now) == before, "a refused form saved something"
            event("refused")
            return
        event("saved")
        (new_id,) = set(now) - before
        item = now[new_id]
        for name, (kind_of_field, text) in held.items():
            value = getattr(item, name)
            if kind_of_field == "csv":
                assert value == [p.strip() for p in text.split(",") if p.strip()]
            elif kind_of_field == "when":
                assert value.source_text == text
            else:
                assert value == text, f"{name} was not stored as typed"

    with AppThread(app) as runner:
        check()


# --- the new-case form ----------------------------------------------------------

def test_new_case_form_takes_any_title_and_file_name(request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = CaseWorkbookApp(None, state=UserState(notice_dismissed=True))

    async def fill_and_create(pilot, app, title, defendant, name):
        folder = tempfile.mkdtemp(dir=tmp_path)  # each example starts from an empty folder
        results: list = []
        dialog = NewCaseScreen()
        await app.push_screen(dialog, results.append)
        await pilot.pause()
        dialog.query_one("#title", Input).value = title
        dialog.query_one("#defendant", Input).value = defendant
        await pilot.pause()
        dialog.query_one("#path", Input).value = f"{folder}/{name}"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: results or shown_errors(dialog))
        if results:
            return results[0], None
        errors = shown_errors(dialog)
        dialog.dismiss(None)
        await pilot.pause()
        return None, errors

    @examples(request, NEW_CASE_EXAMPLES)
    @given(field_text, field_text, file_name.filter(bool))
    @example("[bold]My case[/]", "=1+1", "x\x00y")
    @example("Case", "", "")  # the folder itself: was created as cases.cwb beside it
    def check(title, defendant, name):
        created, errors = runner.run(lambda p, a: fill_and_create(p, a, title, defendant, name))
        assert_alive(app)
        if created is None:
            assert errors
            event("refused")
            return
        event("created")
        with CaseFile.open(created, readonly=True) as case:
            assert case.header.title == title.strip()
            assert case.header.defendant == defendant.strip()

    with AppThread(app) as runner:
        check()


# --- the export dialog's path ---------------------------------------------------------

def test_export_path_takes_any_file_name(request, tmp_path):
    path = a_case(tmp_path / "case.cwb")
    out = tmp_path / "out"
    out.mkdir()
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))

    async def export_to(pilot, app, name):
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("x")
        await until(pilot, lambda: isinstance(app.screen, ExportScreen))
        dialog = app.screen
        dialog.query_one("#path", Input).value = f"{out}/{name}"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not dialog
                    or (not dialog.busy and shown_errors(dialog)), tries=1000)
        if app.screen is not dialog:
            return None
        errors = shown_errors(dialog)
        dialog.dismiss(None)
        return errors

    @examples(request, EXPORT_PATH_EXAMPLES)
    @given(file_name)
    @example("[bold]x[/].json")
    @example("")  # the folder itself ("out/"): was written as out.xlsx beside it
    def check(name):
        errors = runner.run(lambda p, a: export_to(p, a, name))
        assert_alive(app)
        assert errors is None or errors
        event("refused" if errors else "exported")

    with AppThread(app) as runner:
        check()
    outside = set(tmp_path.iterdir()) - {out, path, *path.parent.glob(".case.cwb*"),
                                         *path.parent.glob("case.cwb*")}
    assert not outside, f"written outside the folder typed: {outside}"


# --- a theme link's note --------------------------------------------------------------

def test_theme_note_takes_any_text(request, tmp_path):
    path = a_case(tmp_path / "case.cwb")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))

    async def note_and_save(pilot, app, note):
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        app.screen.query_one(TabbedContent).active = "tab-threat"
        await pilot.pause()
        app.screen.current_list().table.focus()
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TagScreen) and app.screen.query("#note"))
        dialog = app.screen
        theme = dialog.themes[0].id
        if theme not in dialog.linked:
            await pilot.press("space")
        dialog.query_one("#note", Input).value = note
        await pilot.pause()
        held = dialog.query_one("#note", Input).value
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not dialog or shown_errors(dialog))
        if app.screen is dialog:
            errors = shown_errors(dialog)
            dialog.dismiss(None)
            return theme, None, errors
        return theme, held, None

    @examples(request, THEME_NOTE_EXAMPLES)
    @given(field_text)
    def check(note):
        theme, held, errors = runner.run(lambda p, a: note_and_save(p, a, note))
        assert_alive(app)
        if errors is not None:
            assert errors
            event("refused")
            return
        event("saved")
        (threat,) = stored(path, Kind.THREAT).values()
        links = {link.theme_id: link.note for link in threat.themes}
        assert links[theme] == held.strip()

    with AppThread(app) as runner:
        check()


# --- the open-file path ---------------------------------------------------------------

def test_open_file_path_takes_any_text(request, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    app = CaseWorkbookApp(None, state=UserState(notice_dismissed=True))

    async def choose(pilot, app, text):
        results: list = []
        dialog = OpenFileScreen(tmp_path)
        await app.push_screen(dialog, results.append)
        await pilot.pause()
        dialog.query_one("#path", Input).value = text
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, lambda: results or shown_errors(dialog))
        if results:
            return results[0], None
        errors = shown_errors(dialog)
        dialog.dismiss(None)
        await pilot.pause()
        return None, errors

    (tmp_path / "there.cwb").write_bytes(b"")
    (tmp_path / "there.xlsx").write_bytes(b"")

    @examples(request, OPEN_PATH_EXAMPLES)
    @given(st.one_of(file_name.map(lambda n: f"{tmp_path}/{n}"), nasty_text,
                     st.sampled_from(["there.cwb", "there.xlsx", ""]).map(
                         lambda n: f" {tmp_path}/{n} ")))
    @example("~nobody\x00/x.cwb")  # was a ValueError that ended the app
    @example("~no-such-user-zz/x.cwb")  # was a RuntimeError that ended the app
    def check(text):
        chosen, errors = runner.run(lambda p, a: choose(p, a, text))
        assert_alive(app)
        assert chosen is not None or errors
        event("refused" if errors else "chosen")

    with AppThread(app) as runner:
        check()


# --- adding a file as an exhibit --------------------------------------------------------

def test_add_file_fields_take_any_text(request, tmp_path):
    path = a_case(tmp_path / "case.cwb")
    app = CaseWorkbookApp(path, state=UserState(notice_dismissed=True))

    async def add(pilot, app, source: str, texts: tuple[str, str, str]):
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddFileScreen))
        dialog = app.screen
        dialog.query_one("#path", Input).value = source
        for field, text in zip(("summary", "custody", "bates"), texts, strict=True):
            dialog.query_one(f"#{field}", Input).value = text
        await pilot.pause()
        held = [dialog.query_one(f"#{f}", Input).value for f in ("summary", "custody", "bates")]
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is not dialog
                    or (not dialog.busy and shown_errors(dialog)), tries=1000)
        if app.screen is dialog:
            errors = shown_errors(dialog)
            dialog.dismiss(None)
            return held, errors
        return held, None

    @examples(request, ADD_FILE_EXAMPLES)
    @given(file_name.filter(bool), st.booleans(), st.tuples(field_text, field_text, field_text))
    @example("\x00", True, ("", "", ""))
    def check(name, there, texts):
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        source = folder / name
        if there:
            try:
                source.write_bytes(b"a photo")
            except (OSError, ValueError):  # a name no file can have
                pass
        before = set(stored(path, Kind.EXHIBIT))
        held, errors = runner.run(lambda p, a: add(p, a, str(source), texts))
        assert_alive(app)
        now = stored(path, Kind.EXHIBIT)
        if errors is not None:
            assert errors and set(now) == before
            event("refused")
            return
        event("added")
        (new_id,) = set(now) - before
        exhibit = now[new_id]
        summary, custody, bates = (text.strip() for text in held)
        assert exhibit.summary == (summary or exhibit.file.original_name)
        assert (exhibit.custody, exhibit.bates) == (custody, bates)

    with AppThread(app) as runner:
        check()

"""The item forms, driven through the real app on a real case file."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select, SelectionList, Static, TabbedContent, TextArea

from case_workbook.model.case import CaseHeader
from case_workbook.model.items import (
    ActionType, Channel, Communication, Delivery, Direction, Event, Exhibit, ExhibitForm, KeyMoment,
    Person, PostEventAction, Preserved, Role, Target, ThemeLink, Threat, Witness,
)
from case_workbook.model.when import Precision, parse_when
from case_workbook.store.case_file import CaseFile
from case_workbook.tui.app import CaseWorkbookApp
from case_workbook.tui.screens.case_screen import CaseScreen
from case_workbook.tui.screens.dialogs import ConfirmScreen
from case_workbook.tui.screens.item_form import ItemFormScreen
from case_workbook.tui.widgets.pickers import ItemPicker, NewPersonScreen
from case_workbook.tui.widgets.when_field import WhenField
from case_workbook.user_state import UserState

TRICKY = "Said [/x] [bold]now[/bold] 🙂 — ok"
CONTENT = "[red]You will pay[/red]\n  second line 🙂\n\n[/x] last"
TZ = "America/Los_Angeles"


def new_case(path, framework, items=(), tz=TZ) -> None:
    from case_workbook.model.case import CaseSettings

    case = CaseFile.create(path, CaseHeader(title="Form test"), framework,
                           settings=CaseSettings(default_tz=tz), actor="tester")
    for item in items:
        case.add(item)
    case.close()


def make_app(path) -> CaseWorkbookApp:
    return CaseWorkbookApp(path, state=UserState(notice_dismissed=True))


async def until(pilot, check, tries: int = 40) -> None:
    for _ in range(tries):
        if check():
            return
        await pilot.pause()
    assert check(), "the screen did not get there"


async def open_form(pilot, app, tab: str, key: str = "n") -> ItemFormScreen:
    await until(pilot, lambda: isinstance(app.screen, CaseScreen))
    app.screen.query_one(TabbedContent).active = tab
    await pilot.pause()
    await pilot.press(key)
    await until(pilot, lambda: isinstance(app.screen, ItemFormScreen))
    return app.screen


def fill(form: ItemFormScreen, **values) -> None:
    """Set fields as a person would leave them (every widget posts its Changed)."""
    for name, value in values.items():
        widget = form.query_one(f"#f-{name}")
        if isinstance(widget, WhenField):
            widget.input.value = value
        elif isinstance(widget, Input):
            widget.value = value
        elif isinstance(widget, TextArea):
            widget.text = value
        elif isinstance(widget, Select):
            widget.value = value
        elif isinstance(widget, ItemPicker):
            for item_id in value:
                widget.options.select(item_id)
        elif isinstance(widget, SelectionList):
            for member in value:
                widget.select(member.value)
        else:
            raise AssertionError(f"no way to fill {name}")


async def save(pilot, app) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: isinstance(app.screen, CaseScreen))


def error_under(form: ItemFormScreen, name: str) -> str:
    line = form.query_one(f"#err-{name}", Static)
    return str(line.render()) if line.display else ""


async def test_one_item_of_every_kind_is_stored(case_path, framework):
    new_case(case_path, framework)
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-person")
        assert str(form.query_one("#form-title", Static).render()) == "New person"
        fill(form, name=TRICKY, role=Role.COERCER, aliases="Annie,  A. ,", contact="555 0101",
             relation="ex-partner")
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-exhibit")
        fill(form, summary="Torn jacket", custody="Kept in a sealed bag since 15 March",
             bates="PROS-0001-0003", when="15 March 2026")
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-threat")
        fill(form, summary=TRICKY, when="about 21:00 on 14 March 2026", made_by=["P-001"],
             against=[Target.SELF, Target.FAMILY], against_detail="my sister",
             delivery=Delivery.CALL, harm_threatened="hurt her", demand="drive the car",
             weapon_shown=True, weapon="knife", place="kitchen", present=["P-001"],
             details=CONTENT, notes="my note", exhibits=["DX-0001"])
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-witness")
        fill(form, summary="Neighbour heard shouting", person=["P-001"], observed=CONTENT,
             when="2026-03-14 21:15", contact="door 4", relation="neighbour",
             contacted=False, related=["T-001"])
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-communication")
        fill(form, summary="Text at night", when="2026-03-14 22:01", channel=Channel.TEXT,
             direction=Direction.INCOMING, sender=["P-001"], content=CONTENT,
             original_location="my phone", preserved=Preserved.YES)
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-action")
        fill(form, summary="Called my sister", action=ActionType.TOLD_SOMEONE,
             when="2026-03-15 08:00", with_whom=["P-001"], place="home")
        await save(pilot, app)

        form = await open_form(pilot, app, "tab-event")
        fill(form, summary="Drove away", when="2026-03-14 21:30", key_moment=KeyMoment.ACT_START,
             place="parking lot")
        await save(pilot, app)
        assert isinstance(app.screen.case.get("E-001"), Event)
        await pilot.press("q")

    case = CaseFile.open(case_path)
    try:
        person = case.get("P-001")
        assert isinstance(person, Person)
        assert (person.name, person.role, person.aliases) == (TRICKY, Role.COERCER, ["Annie", "A."])
        assert (person.contact, person.relation) == ("555 0101", "ex-partner")

        exhibit = case.get("DX-0001")
        assert isinstance(exhibit, Exhibit) and exhibit.form == ExhibitForm.PHYSICAL
        assert (exhibit.summary, exhibit.bates) == ("Torn jacket", "PROS-0001-0003")
        assert exhibit.custody.startswith("Kept in a sealed bag")
        assert exhibit.when.precision == Precision.DAY and exhibit.when.tz == TZ

        threat = case.get("T-001")
        assert isinstance(threat, Threat)
        assert threat.summary == TRICKY and threat.details == CONTENT
        assert threat.when.precision == Precision.APPROXIMATE
        assert threat.when.start.hour == 21 and threat.when.tz == TZ
        assert threat.when.source_text == "about 21:00 on 14 March 2026"
        assert threat.made_by == ["P-001"] and threat.present == ["P-001"]
        assert threat.against == [Target.SELF, Target.FAMILY]
        assert (threat.delivery, threat.weapon_shown, threat.weapon) == (Delivery.CALL, True, "knife")
        assert (threat.against_detail, threat.harm_threatened, threat.demand, threat.place,
                threat.notes) == ("my sister", "hurt her", "drive the car", "kitchen", "my note")
        assert threat.exhibits == ["DX-0001"]

        witness = case.get("W-001")
        assert isinstance(witness, Witness)
        assert (witness.person, witness.observed, witness.contacted) == ("P-001", CONTENT, False)
        assert (witness.contact, witness.relation, witness.related) == ("door 4", "neighbour", ["T-001"])
        assert witness.when.precision == Precision.EXACT

        message = case.get("C-001")
        assert isinstance(message, Communication)
        assert message.content == CONTENT
        assert (message.channel, message.direction, message.preserved) == (
            Channel.TEXT, Direction.INCOMING, Preserved.YES)
        assert message.sender == ["P-001"] and message.recipients == []
        assert message.original_location == "my phone"

        action = case.get("A-001")
        assert isinstance(action, PostEventAction)
        assert (action.action, action.with_whom, action.place) == (
            ActionType.TOLD_SOMEONE, ["P-001"], "home")

        event = case.get("E-001")
        assert isinstance(event, Event)
        assert (event.key_moment, event.place) == (KeyMoment.ACT_START, "parking lot")
        assert event.when.start.date() == date(2026, 3, 14)
    finally:
        case.close()


async def test_invalid_date_shows_error_keeps_text_and_saves_nothing(case_path, framework):
    new_case(case_path, framework)
    app = make_app(case_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, "tab-threat")
        await pilot.press(*"Shouting")
        await pilot.press("tab", *"03/04/2026")
        when = form.query_one("#f-when", WhenField)
        assert when.reading.startswith("✗ Not understood:")
        assert "day" in when.reading and "month" in when.reading

        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert when.text == "03/04/2026"
        assert form.query_one("#f-summary", Input).value == "Shouting"
        assert error_under(form, "when").startswith("✗ ")
        assert error_under(form, "summary") == ""
        assert form.query_one("#form-error", Static).display
        assert app.focused is when.input
        assert form.index.case.items() == []

        when.input.value = "2026-04-03"
        await pilot.pause()
        assert when.reading == "✓ Understood: Fri 3 Apr 2026 (day only), America/Los_Angeles"
        await save(pilot, app)
        stored = app.screen.case.get("T-001")
        assert stored.summary == "Shouting"
        assert stored.when.start.date() == date(2026, 4, 3)


async def test_form_fits_80x24_and_error_is_in_words(case_path, framework):
    new_case(case_path, framework)
    app = make_app(case_path)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_form(pilot, app, "tab-person")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        assert error_under(form, "name") == "✗ A person needs a name."
        assert app.focused is form.query_one("#f-name", Input)
        save_button = form.query_one("#form-save")
        assert save_button.region.bottom <= 24 and save_button.region.right <= 80
        assert form.index.case.items() == []


async def test_new_person_from_the_picker_exists_and_is_linked(case_path, framework):
    new_case(case_path, framework)
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-threat")
        form.query_one("#f-made_by .new-person").focus()
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, NewPersonScreen))
        await pilot.press("ctrl+s")  # no name yet: refused in words
        assert "✗ A person needs a name." in str(app.screen.query_one("#person-name-error").render())
        await pilot.press(*"Marco")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen is form)

        created = form.index.case.get("P-001")
        assert isinstance(created, Person) and created.name == "Marco"
        picker = form.query_one("#f-made_by", ItemPicker)
        assert picker.selected == ["P-001"]
        # The new person is offered in the other pickers of the same form.
        present = form.query_one("#f-present", ItemPicker)
        assert present.shown_ids() == ["P-001"] and present.selected == []

        fill(form, summary="Told me to drive")
        await save(pilot, app)
        assert app.screen.case.get("T-001").made_by == ["P-001"]


async def test_leaving_a_changed_form_asks_first(case_path, framework):
    new_case(case_path, framework)
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-event")
        await pilot.press("escape")  # nothing typed: closes at once
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))

        form = await open_form(pilot, app, "tab-event")
        await pilot.press(*"Left the house")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Leave without saving?" in str(app.screen.query_one(".title").render())
        await pilot.click("#no")  # "Keep editing"
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#f-summary", Input).value == "Left the house"

        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.click("#yes")  # "Leave"
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        assert app.screen.case.items() == []


async def test_edit_prefills_saves_and_keeps_themes(case_path, framework):
    theme = framework.themes[0].id
    when = parse_when("about 9 pm yesterday", TZ)
    new_case(case_path, framework, [
        Person(name="Ana", role=Role.COERCER),
        Threat(summary="Old words", when=when, made_by=["P-001"], weapon_shown=None,
               against=[Target.OTHER], themes=[ThemeLink(theme_id=theme, note="why [/x]")]),
    ])
    app = make_app(case_path)
    async with app.run_test(size=(120, 40)) as pilot:
        form = await open_form(pilot, app, "tab-threat", key="e")
        assert str(form.query_one("#form-title", Static).render()) == "Edit T-001 (threat)"
        assert form.query_one("#f-summary", Input).value == "Old words"
        assert form.query_one("#f-when", WhenField).text == "about 9 pm yesterday"
        assert form.query_one("#f-made_by", ItemPicker).selected == ["P-001"]
        assert form.query_one("#f-against", SelectionList).selected == [Target.OTHER.value]
        assert form.query_one("#f-weapon_shown", Select).is_blank()

        await pilot.press("escape")  # unchanged: closes without asking
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))

        form = await open_form(pilot, app, "tab-threat", key="e")
        fill(form, summary="New words " + TRICKY, weapon_shown=False)
        await save(pilot, app)
        await pilot.press("q")

    case = CaseFile.open(case_path)
    try:
        threat = case.get("T-001")
        assert threat.summary == "New words " + TRICKY
        assert threat.weapon_shown is False
        assert threat.themes == [ThemeLink(theme_id=theme, note="why [/x]")]
        assert threat.when == when  # "yesterday" was not read again on a later day
        assert threat.made_by == ["P-001"] and threat.against == [Target.OTHER]
        assert [entry.action for entry in case.activity("T-001")] == ["create", "edit"]
    finally:
        case.close()


async def test_a_store_error_keeps_the_form_and_what_was_typed(case_path, framework):
    new_case(case_path, framework, [Event(summary="Gone soon")])
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-threat")
        fill(form, summary="Links to a deleted item", related=["E-001"], when="2026-03-14")
        form.index.case.delete("E-001")  # removed underneath the open form
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form
        top = form.query_one("#form-error", Static)
        assert top.display and str(top.render()).startswith("✗ Not saved:")
        assert "E-001" in str(top.render())
        assert form.query_one("#f-summary", Input).value == "Links to a deleted item"
        assert form.query_one("#f-when", WhenField).text == "2026-03-14"
        assert [i.id for i in form.index.case.items()] == []


async def test_a_witness_has_one_person(case_path, framework):
    new_case(case_path, framework, [Person(name="Ana"), Person(name="Ben")])
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-witness")
        picker = form.query_one("#f-person", ItemPicker)
        assert picker.shown_ids() == ["P-001", "P-002"]
        picker.options.select("P-001")
        await pilot.pause()
        picker.options.select("P-002")
        await pilot.pause()
        assert picker.selected == ["P-002"]
        assert picker.options.selected == ["P-002"]
        await save(pilot, app)
        assert app.screen.case.get("W-001").person == "P-002"


async def test_a_file_exhibit_shows_its_file_and_keeps_it(case_path, framework, tmp_path):
    from case_workbook.store.exhibits import add_exhibit_file

    new_case(case_path, framework)
    photo = tmp_path / "photo [1].jpg"
    photo.write_bytes(b"not really a photo")
    case = CaseFile.open(case_path)
    exhibit = add_exhibit_file(case, photo, summary="Photo of the door")
    case.close()
    app = make_app(case_path)
    async with app.run_test(size=(100, 30)) as pilot:
        form = await open_form(pilot, app, "tab-exhibit", key="e")
        kept = " ".join(str(line.render()) for line in form.query(".read-only"))
        assert "photo [1].jpg" in kept and exhibit.file.sha256 in kept
        custody = form.query_one("#f-custody", TextArea)
        custody.focus()
        await pilot.press(*"From my phone")
        await pilot.press("ctrl+s")  # saves from inside a multi-line field too
        await until(pilot, lambda: isinstance(app.screen, CaseScreen))
        stored = app.screen.case.get(exhibit.id)
        assert stored.custody == "From my phone"
        assert stored.file == exhibit.file and stored.summary == "Photo of the door"

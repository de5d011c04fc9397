"""The form for adding or editing one item of any kind.

Every field of the kind, labels above fields, and an error in words under the
field it concerns. Nothing typed is cleared by an error; saving commits to the
case file at once (through `save`), and leaving a changed form asks first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from pydantic import ValidationError
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Footer,
    Input,
    Label,
    Select,
    SelectionList,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from case_workbook.model.items import (
    KIND_LABELS,
    MODEL_BY_KIND,
    ActionType,
    AnyItem,
    Channel,
    Delivery,
    Direction,
    Exhibit,
    ExhibitForm,
    KeyMoment,
    Kind,
    Preserved,
    Role,
    Target,
)
from case_workbook.model.when import WhenError
from case_workbook.store.errors import CaseFileError
from case_workbook.tui.screens.dialogs import ConfirmScreen, ShowsWorkerErrors
from case_workbook.tui.widgets.pickers import (
    CheckList,
    ExhibitPicker,
    ItemPicker,
    PersonPicker,
    item_choices,
)
from case_workbook.tui.widgets.when_field import WhenField
from case_workbook.views.columns import size_text
from case_workbook.views.index import CaseIndex


@dataclass(frozen=True)
class F:
    """One field of a form. `type` says which widget edits it."""

    name: str
    label: str
    type: str  # text, long, area, when, choice, enum, multi, yesno, people, person, exhibits, related, csv
    enum: type[StrEnum] | None = None
    blank: str = "Not known"


SUMMARY = F("summary", "Summary (one line)", "text")
DETAILS = F("details", "Details", "area")
NOTES = F("notes", "Your notes", "area")
WHEN = F("when", "When", "when")
PLACE = F("place", "Where", "text")
LINKS = [F("people", "Other people linked", "people"), F("exhibits", "Exhibits linked", "exhibits"),
         F("related", "Related items", "related")]

FIELDS: dict[Kind, list[F]] = {
    Kind.THREAT: [
        SUMMARY, WHEN, F("made_by", "Made by", "people"),
        F("against", "Against", "multi", Target),
        F("against_detail", "Against whom exactly, in your words", "text"),
        F("delivery", "How it was made", "choice", Delivery),
        F("harm_threatened", "Harm threatened", "area"), F("demand", "What was demanded", "area"),
        F("weapon_shown", "Weapon shown", "yesno"), F("weapon", "Weapon", "text"), PLACE,
        F("present", "Who else was there", "people"), DETAILS, NOTES],
    Kind.WITNESS: [
        SUMMARY, F("person", "Who the witness is", "person"),
        F("observed", "What they saw or heard", "long"),
        F("when", "When they saw or heard it", "when"), F("contact", "How to reach them", "text"),
        F("relation", "Relation to the defendant", "text"),
        F("contacted", "Has anyone spoken to them yet", "yesno"), DETAILS, NOTES],
    Kind.COMMUNICATION: [
        SUMMARY, WHEN, F("channel", "Channel", "choice", Channel),
        F("direction", "Direction", "choice", Direction), F("sender", "From", "people"),
        F("recipients", "To", "people"), F("content", "Content, word for word", "long"),
        F("original_location", "Where the original is kept (device, account, file)", "text"),
        F("preserved", "Original preserved", "enum", Preserved), DETAILS, NOTES],
    Kind.ACTION: [
        SUMMARY, F("action", "What was done", "choice", ActionType), WHEN,
        F("with_whom", "With whom", "people"), PLACE, DETAILS, NOTES],
    Kind.EVENT: [
        SUMMARY, WHEN, F("key_moment", "Key moment", "choice", KeyMoment, blank="None"), PLACE,
        DETAILS, NOTES],
    Kind.PERSON: [
        F("name", "Name", "text"), F("role", "Role", "enum", Role),
        F("aliases", "Other names (separate them with commas)", "csv"),
        F("contact", "How to reach them", "text"),
        F("relation", "Relation to the defendant", "text"), SUMMARY, DETAILS, NOTES],
    Kind.EXHIBIT: [
        F("summary", "Description (one line)", "text"), DETAILS,
        F("custody", "Chain of custody", "area"), F("bates", "Bates range", "text"),
        F("when", "When it was made or taken", "when"), NOTES],
}

YES_NO = [("yes", True), ("no", False)]


class FieldError(ValueError):
    """A field that cannot be read; str is the sentence shown under it."""


class ItemFormScreen(ShowsWorkerErrors, ModalScreen[AnyItem | None]):
    DEFAULT_CSS = """
    ItemFormScreen { align: center middle; }
    ItemFormScreen #form-frame { width: 100; max-width: 100%; height: 100%; max-height: 44;
                                 border: thick $primary; background: $surface; }
    ItemFormScreen #form-title { text-style: bold; padding: 0 1; }
    ItemFormScreen #form-error { color: $text-error; text-style: bold; padding: 0 1; }
    ItemFormScreen #form-body { height: 1fr; padding: 0 1; }
    ItemFormScreen .field-label { text-style: bold; margin-top: 1; }
    ItemFormScreen .field-error { color: $text-error; text-style: bold; padding: 0 1; }
    ItemFormScreen .read-only { color: $text-muted; padding: 0 1; }
    ItemFormScreen TextArea { height: 5; }
    ItemFormScreen TextArea.long { height: 8; }
    ItemFormScreen SelectionList.multi { height: auto; }
    ItemFormScreen #form-buttons { height: auto; align-horizontal: right; padding: 0 1; }
    ItemFormScreen #form-buttons Button { margin-left: 2; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
    ]

    def __init__(self, kind: Kind, index: CaseIndex, item: AnyItem | None,
                 save: Callable[[AnyItem], AnyItem]) -> None:
        super().__init__()
        self.kind, self.index, self.item, self.save = kind, index, item, save
        self.fields = FIELDS[kind] + LINKS
        self.tz = index.case.settings.default_tz
        self._start: tuple | None = None

    # --- building -------------------------------------------------------------

    def title_text(self) -> str:
        noun = KIND_LABELS[self.kind].lower()
        return f"Edit {self.item.id} ({noun})" if self.item is not None else f"New {noun}"

    def compose(self) -> ComposeResult:
        with Vertical(id="form-frame"):
            yield Label(Text(self.title_text()), id="form-title")
            yield Static("", id="form-error")
            with VerticalScroll(id="form-body"):
                for spec in self.fields:
                    yield Label(Text(spec.label), classes="field-label")
                    yield self._widget(spec)
                    yield Static("", classes="field-error", id=f"err-{spec.name}")
                yield from self._read_only()
            with Horizontal(id="form-buttons"):
                yield Button("Cancel", id="form-cancel")
                yield Button("Save", id="form-save", variant="primary")
        yield Footer()

    def _current(self, name: str, default=None):
        return getattr(self.item, name, default) if self.item is not None else default

    def _widget(self, spec: F) -> Widget:
        wid = f"f-{spec.name}"
        value = self._current(spec.name)
        if spec.type == "text":
            return Input(value or "", id=wid, select_on_focus=False)
        if spec.type == "csv":
            return Input(", ".join(value or []), id=wid, select_on_focus=False)
        if spec.type in ("area", "long"):
            return TextArea(value or "", id=wid, classes=spec.type, soft_wrap=True)
        if spec.type == "when":
            return WhenField(self.tz, value, id=wid)
        if spec.type in ("choice", "enum"):
            assert spec.enum is not None
            options = [(member.value, member) for member in spec.enum]
            if spec.type == "enum":
                default = value if value is not None else \
                    MODEL_BY_KIND[self.kind].model_fields[spec.name].default
                return Select(options, value=default, allow_blank=False, id=wid)
            return Select(options, value=value if value is not None else Select.NULL,
                          prompt=spec.blank, id=wid)
        if spec.type == "yesno":
            return Select(YES_NO, value=value if value is not None else Select.NULL,
                          prompt="Not known", id=wid)
        if spec.type == "multi":
            assert spec.enum is not None
            chosen = set(value or [])
            return CheckList(*[Selection(m.value, m.value, m in chosen) for m in spec.enum],
                             id=wid, classes="multi")
        own_id = self.item.id if self.item is not None else ""
        if spec.type in ("people", "person"):
            ids = [value] if spec.type == "person" and value else list(value or [])
            return PersonPicker(self.index, ids, self.save, multiple=spec.type == "people",
                                exclude=own_id, id=wid)
        if spec.type == "exhibits":
            return ExhibitPicker(self.index, list(value or []), exclude=own_id, id=wid)
        return ItemPicker(item_choices(self.index, own_id), list(value or []),
                          noun="items", id=wid)

    def _read_only(self) -> ComposeResult:
        """Fields kept but not edited here, shown so nothing is hidden."""
        lines: list[str] = []
        item = self.item
        if self.kind == Kind.EXHIBIT:
            form = item.form if isinstance(item, Exhibit) else ExhibitForm.PHYSICAL
            lines.append(f"Form: {form.value}")
            if item is None:
                lines.append("To add a file as an exhibit, use Add file (a) in the Exhibits tab.")
            elif isinstance(item, Exhibit) and item.file is not None:
                lines.append(f"File: {item.file.original_name} · {size_text(item.file.size)} "
                             f"· {item.file.storage.value}")
                lines.append(f"SHA-256: {item.file.sha256}")
        if provenance := self._current("provenance", ""):
            lines.append(f"Came from: {provenance}")
        if counsel := self._current("counsel_notes", ""):
            lines.append(f"Counsel's notes: {counsel}")
        themes = self._current("themes", [])
        if themes:
            names = "; ".join(self.index.theme_name(link.theme_id)
                              + (f" ({link.note})" if link.note else "") for link in themes)
            lines.append(f"Themes: {names}. Change them with Tag (t) in the list.")
        if lines:
            yield Label("Not edited in this form", classes="field-label")
        for line in lines:
            yield Static(Text(line), classes="read-only")

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        for error in self.query(".field-error"):
            error.display = False
        self._start = self._raw()
        self._focus_field(self.fields[0].name)

    # --- reading --------------------------------------------------------------

    def _raw(self) -> tuple:
        """What the widgets hold, to tell whether anything was changed."""
        out = []
        for spec in self.fields:
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, Input):
                out.append(widget.value)
            elif isinstance(widget, TextArea):
                out.append(widget.text)
            elif isinstance(widget, WhenField):
                out.append(widget.text)
            elif isinstance(widget, Select):
                out.append(widget.value)
            elif isinstance(widget, SelectionList):
                out.append(tuple(sorted(widget.selected)))
            elif isinstance(widget, ItemPicker):
                out.append(tuple(widget.selected))
        return tuple(out)

    def changed(self) -> bool:
        return self._start is not None and self._raw() != self._start

    def _value(self, spec: F):
        widget = self.query_one(f"#f-{spec.name}")
        if isinstance(widget, WhenField):
            try:
                return widget.value()
            except WhenError:
                # The sentence is already on the line under the input.
                raise FieldError("✗ Change the date above so it can be read, or leave it "
                                 "empty if it is not known.") from None
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Select):
            return None if widget.is_blank() else widget.value
        if isinstance(widget, SelectionList):
            assert spec.enum is not None
            return [m for m in spec.enum if m.value in widget.selected]
        if isinstance(widget, ItemPicker):
            if spec.type == "person":
                return widget.selected[0] if widget.selected else None
            return list(widget.selected)
        assert isinstance(widget, Input)
        if spec.type == "csv":
            return [part.strip() for part in widget.value.split(",") if part.strip()]
        if spec.name == "name" and not widget.value.strip():
            raise FieldError("✗ A person needs a name.")
        return widget.value

    def build(self) -> tuple[AnyItem | None, dict[str, str]]:
        """The item the form describes, or the sentence for each field in error."""
        values, errors = {}, {}
        for spec in self.fields:
            try:
                values[spec.name] = self._value(spec)
            except FieldError as error:
                errors[spec.name] = str(error)
        if errors:
            return None, errors
        model = MODEL_BY_KIND[self.kind]
        if self.item is None:
            data = {**values, "kind": self.kind}
            if self.kind == Kind.EXHIBIT:
                data["form"] = ExhibitForm.PHYSICAL
        else:
            data = {**self.item.model_dump(), **values}  # keeps id, themes, file, dates
        try:
            return model.model_validate(data), {}
        except ValidationError as error:
            for problem in error.errors():
                name = str(problem["loc"][0]) if problem["loc"] else ""
                errors.setdefault(name, f"✗ This could not be read: {problem['msg']}.")
            return None, errors

    # --- showing errors ---------------------------------------------------------

    def _set_error(self, name: str, message: str) -> None:
        found = self.query(f"#err-{name}")
        if found:
            found.first(Static).update(Text(message))
            found.first().display = bool(message)

    def _top_error(self, message: str) -> None:
        top = self.query_one("#form-error", Static)
        top.update(Text(message))
        top.display = bool(message)

    def _focus_field(self, name: str) -> None:
        widget = self.query_one(f"#f-{name}")
        target = widget
        if isinstance(widget, WhenField):
            target = widget.input
        elif isinstance(widget, ItemPicker):
            target = widget.options if widget.options.display else widget
        target.focus()
        self.query_one("#form-body", VerticalScroll).scroll_to_widget(widget, animate=False)

    # --- actions --------------------------------------------------------------

    def action_save(self) -> None:
        item, errors = self.build()
        names = {spec.name for spec in self.fields}
        for spec in self.fields:
            self._set_error(spec.name, errors.get(spec.name, ""))
        if errors:
            first = next((s.name for s in self.fields if s.name in errors), None)
            other = [m for n, m in errors.items() if n not in names]
            self._top_error(" ".join(other) if other else
                            "✗ Not saved yet: please look at the notes under the fields marked ✗.")
            if first is not None:
                self._focus_field(first)
            return
        assert item is not None
        try:
            stored = self.save(item)
        except (CaseFileError, ValueError) as error:
            self._top_error(f"✗ Not saved: {error}")
            self.query_one("#form-body", VerticalScroll).scroll_home(animate=False)
            return
        self.dismiss(stored)

    @work(exit_on_error=False, exclusive=True)
    async def action_cancel(self) -> None:
        if self.changed():
            leave = await self.app.push_screen_wait(ConfirmScreen(
                "Leave without saving? What you typed in this form will be lost.",
                yes="Leave", no="Keep editing"))
            if not leave:
                return
        self.dismiss(None)

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

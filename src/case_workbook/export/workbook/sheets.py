"""The sheets of the workbook for counsel, in order. Plain counts, no ratings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from case_workbook.model.chronology import KIND_ORDER, id_number
from case_workbook.model.framework import Theme
from case_workbook.model.items import KIND_LABELS, AnyItem, Kind, count_text

from .cells import (
    LEGEND,
    NO_ASSESSMENT,
    line_count,
    location,
    row_height,
    split_cell_text,
    text_cell,
)
from .layout import (
    COUNSEL,
    SHEET_OF_KIND,
    TABLE_OF_KIND,
    Col,
    Context,
    WholeItems,
    chronology_columns,
    kind_columns,
    printed_count,
)
from .timeline_sheet import SHEET as TIMELINE
from .writer import data_sheet, finish, plan, prepare, widths, write_block

PRINTING = ("Each sheet prints its main columns, up to Counsel notes. The columns to the "
            "right of Counsel notes hold the remaining details (time zones, what was "
            "typed, dates of entry, links); they are in the file, to read and filter on "
            "screen, and print when the print range is widened. The Timeline prints its "
            "charts on one page; the rows they are drawn from are below them.")

KIND_SHEETS = [Kind.THREAT, Kind.WITNESS, Kind.COMMUNICATION, Kind.ACTION, Kind.EVENT,
               Kind.PERSON, Kind.EXHIBIT]
SHEETS = (["Cover", "Chronology", TIMELINE] + [SHEET_OF_KIND[k] for k in KIND_SHEETS]
          + ["Themes", "Questions for Counsel"])


def _pieces(text: str) -> list:
    return split_cell_text(text) or [""]


def exported_text(exported: datetime) -> str:
    """The export time with its UTC offset: the same text after a round trip."""
    offset = exported.strftime("%z")
    offset = f"{offset[:3]}:{offset[3:]}" if offset else ""
    return f"{exported:%Y-%m-%d %H:%M} (UTC{offset})"


def cover(wb, ctx: Context, exported: datetime, version: str) -> None:
    ws = wb.create_sheet("Cover")
    prepare(ws, [28, 90], freeze=None, title_rows=None)
    ws.print_options.gridLines = False
    case = ctx.index.case
    header, framework = case.header, case.framework

    def line(label: str = "", value: str = "", *, bold: bool = False,
             link: str | None = None) -> None:
        # A cover value that is too long for one cell continues on the next rows.
        for n, piece in enumerate(_pieces(value)):
            first = text_cell(ws, _pieces(label)[0], bold=True) if label and n == 0 else None
            second = text_cell(ws, piece, bold=bold, link=link) if piece else None
            ws.append([first, second], height=row_height(line_count(piece, 90)))

    line("", header.title, bold=True)
    line("", LEGEND, bold=True)
    line("", NO_ASSESSMENT)
    line()
    line("Case", header.title)
    line("Defendant", header.defendant)
    line("Charges", "\n".join(header.charges))
    line("Jurisdiction", header.jurisdiction)
    line("Court", header.court)
    line("Case number", header.case_number)
    line("Counsel", header.counsel)
    line("Prepared by", header.prepared_by)
    line()
    line("Framework", framework.name)
    line("Framework jurisdiction", framework.jurisdiction)
    line("Framework sources", "\n".join(framework.sources))
    line("Exported", exported_text(exported))
    line("Tool", f"case-workbook {version}")
    line()
    line("Contents", "", bold=True)
    for title in SHEETS[1:]:
        line("", title, link=location(title, 1))
    line()
    line("Printing", PRINTING)
    line()
    line("Items per kind", "", bold=True)
    for kind in KIND_SHEETS:
        line(KIND_LABELS[kind], count_text(kind, ctx.index.count(kind)))
    line()
    line("Items per theme", "", bold=True)
    for theme in framework.themes:
        n = len(ctx.index.theme_items(theme.id))
        line(theme.name, f"{n} item" if n == 1 else f"{n} items")


def chronology(wb, ctx: Context) -> None:
    rows = WholeItems(ctx.index, [row.item.id for row in ctx.index.chronology()])
    cols = chronology_columns(ctx.index)
    data_sheet(wb, "Chronology", "Chronology", cols, rows, ctx, printed_count(cols))


def kind_sheet(wb, ctx: Context, kind: Kind) -> None:
    cols = kind_columns(kind)
    records = WholeItems(ctx.index, [i.id for i in ctx.index.of_kind(kind)])
    data_sheet(wb, SHEET_OF_KIND[kind], TABLE_OF_KIND[kind], cols, records, ctx,
               printed_count(cols))


def theme_note_key(theme_id: str) -> str:
    return f"theme:{theme_id}"


def question_note_key(theme_id: str, number: int) -> str:
    return f"question:{theme_id}:{number}"


def _item_ids(ctx: Context, theme_id: str) -> str | None:
    # On one wrapped line, not one id per line: a theme can have dozens.
    return ", ".join(i.id for i in ctx.index.theme_items(theme_id)) or None


THEME_COLS = [
    Col("Theme id", lambda t, c: t.id, 14),
    Col("Theme", lambda t, c: t.name, 24),
    Col("Description", lambda t, c: t.description, 40),
    Col("Source", lambda t, c: t.source, 18),
    Col("Questions to explore", lambda t, c: "\n".join(t.questions), 44),
    Col("Linked items", lambda t, c: _item_ids(c, t.id), 16),
    Col("Number of linked items", lambda t, c: len(c.index.theme_items(t.id)), 10),
    Col("Counsel notes", lambda t, c: c.case_note(theme_note_key(t.id)), 26),
]


def _matrix_cols(themes: list[Theme]) -> list[Col]:
    def linked(theme_id: str):
        return lambda i, c: "linked" if theme_id in i.theme_ids() else None
    titles: set[str] = set()
    cols = [Col("Id", lambda i, c: c.link(i.id), 10),
            Col("Kind", lambda i, c: KIND_LABELS[i.kind], 14),
            Col("Summary", lambda i, c: i.summary or None, 36)]
    for theme in themes:
        title = theme.name if theme.name not in titles else f"{theme.name} ({theme.id})"
        titles.add(title)
        cols.append(Col(title, linked(theme.id), 14))
    return cols


def themes(wb, ctx: Context) -> None:
    """Per theme its description, source, questions, linked items; below, the
    matrix of items × themes ("linked" in words, never a colour)."""
    ws = wb.create_sheet("Themes")
    framework = ctx.index.case.framework
    items: list[AnyItem] = sorted((i for i in ctx.index.items.values() if i.themes),
                                  key=lambda i: (KIND_ORDER[i.kind], id_number(i.id)))
    first = plan(THEME_COLS, framework.themes, ctx)
    second = plan(_matrix_cols(framework.themes), items, ctx)
    a, b = widths(first), widths(second)
    prepare(ws, [max(x, y) for x, y in _zip_longest(a, b)])
    row = write_block(ws, first, framework.themes, ctx, "Themes")
    ws.append([])
    ws.append([text_cell(ws, "Items and the themes they are linked to", bold=True, wrap=False)])
    write_block(ws, second, items, ctx, "ThemeMatrix", first_row=row + 2)
    finish(ws)


def _zip_longest(a: list[float], b: list[float]):
    n = max(len(a), len(b))
    return zip(a + [0] * (n - len(a)), b + [0] * (n - len(b)))


@dataclass(frozen=True)
class Question:
    theme: Theme
    number: int
    text: str


QUESTION_COLS = [
    Col("Theme", lambda q, c: q.theme.name, 24),
    Col("Source", lambda q, c: q.theme.source, 22),
    Col("No.", lambda q, c: q.number, 6),
    Col("Question", lambda q, c: q.text, 60),
    Col("Related items", lambda q, c: _item_ids(c, q.theme.id), 22),
    Col(COUNSEL.title, lambda q, c: c.case_note(question_note_key(q.theme.id, q.number)), 50),
]


def questions(wb, ctx: Context) -> None:
    records = [Question(theme, n, text) for theme in ctx.index.case.framework.themes
               for n, text in enumerate(theme.questions, start=1)]
    data_sheet(wb, "Questions for Counsel", "QuestionsForCounsel", QUESTION_COLS, records, ctx)

"""The council's committee-paper house style for Word documents (python-docx).

Presentation, not domain: the quarterly report (reports/) and scrutiny's action list build
their papers with CommitteePaper, so every paper the app writes is shaped like the council's
committee reports (seed 001): "Agenda item" and "For general release" lines, the header
block (REPORT TO / SUBJECT / LEAD OFFICER / CABINET MEMBER / ORIGIN OF ITEM / BRIEF FOR THE
COMMITTEE), numbered sections ("1. Summary", paragraphs "1.1"), and tables whose header row
repeats on every page. Word's own styles (Title, Heading 1–3, Table Grid, List Bullet,
Caption) carry the look, so the paper drops into the agenda pack and a screen reader
finds its headings and table headers.

    paper = CommitteePaper(title=..., running_header="Plan · Quarter · Published ...")
    paper.header_block([("REPORT TO", "..."), ("SUBJECT", "...")])
    paper.section("Summary")            # "1. Summary", Heading 1
    paper.numbered_paragraph("...")    # "1.1 ..."
    paper.table(["Ref", "Action"], rows, caption="Table 1: ...", widths=[2, 14])
    response = paper.response(filename)
"""

import copy
import io
import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import _Row

from .links import web_address_pieces

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The council's papers are in Arial; A4 with 2 cm margins leaves 17 cm for text.
FONT = "Arial"
PAGE_WIDTH_CM = 21.0
PAGE_HEIGHT_CM = 29.7
MARGIN_CM = 2.0
TEXT_WIDTH_CM = PAGE_WIDTH_CM - 2 * MARGIN_CM

# A .docx is XML 1.0, which cannot hold control characters other than tab, line feed and
# carriage return, nor U+FFFE, U+FFFF or half a surrogate pair: python-docx refuses them,
# so one pasted into an update from another program stopped the whole paper being made.
# They are invisible, so the paper leaves them out; what is stored keeps them. (Workbooks
# escape them instead: imports.layout.cell_text.)
NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def word_text(text):
    """`text` as a Word paper can hold it: without the characters XML has no way to write."""
    return NOT_IN_XML.sub("", str(text))


def _set_repeat_header(row):
    """Word repeats a row marked tblHeader at the top of every page the table runs onto."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_row_whole(row):
    """A row never splits across pages (cantSplit), so a narrative stays in one piece."""
    properties = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    properties.append(cant_split)


def _cell_spacing(cell):
    """A little space after a cell's words."""
    cell.paragraphs[0].paragraph_format.space_after = Pt(2)


def _page_number_field(paragraph):
    """A PAGE field: Word fills in each page's number."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def _hyperlink(paragraph, address):
    """`address` as a link at the end of `paragraph`, reading as itself."""
    relationship = paragraph.part.relate_to(address, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = paragraph.add_run(address, style="Hyperlink")
    link.append(run._r)
    paragraph._p.append(link)


class CommitteePaper:
    """A Word document in the council's committee-paper style, built section by section."""

    def __init__(
        self,
        *,
        title,
        running_header="",
        agenda_item="",
        release="For general release",
        author="Croydon Council",
        subject="",
        keywords="",
        language="en-GB",
        landscape=False,
    ):
        self.document = Document()
        self.section_number = 0
        self.paragraph_number = 0
        self.table_number = 0
        self._style(language)
        self._page(landscape, running_header)
        properties = self.document.core_properties
        properties.title = word_text(title)
        properties.subject = word_text(subject)
        properties.author = word_text(author)
        properties.keywords = word_text(keywords)
        properties.language = language
        if agenda_item:
            self.document.add_paragraph(word_text(agenda_item), style="Subtitle")
        if release:
            self.document.add_paragraph(word_text(release))
        self.document.add_paragraph(word_text(title), style="Title")

    @property
    def text_width_cm(self):
        section = self.document.sections[0]
        return (section.page_width - section.left_margin - section.right_margin) / Cm(1)

    def _style(self, language):
        styles = self.document.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        # The document's language, for spelling and for screen readers (docDefaults).
        defaults = self.document.styles.element.find(qn("w:docDefaults"))
        run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        lang = run_defaults.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            run_defaults.append(lang)
        lang.set(qn("w:val"), language)
        for name, size in (
            ("Title", 18),
            ("Subtitle", 12),
            ("Heading 1", 14),
            ("Heading 2", 12),
            ("Heading 3", 11),
        ):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.italic = False
            # Black headings, as the council's papers print them.
            style.font.color.rgb = None
            style.paragraph_format.keep_with_next = True
            # Arial for East Asian and complex scripts too, so Word doesn't swap fonts.
            fonts = style.element.rPr.rFonts
            for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                fonts.set(qn(attribute), FONT)
            for theme_attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
                fonts.attrib.pop(qn(theme_attribute), None)
        title = styles["Title"]
        # Word's Title has a coloured rule beneath; the council's papers don't.
        borders = title.element.pPr.find(qn("w:pBdr")) if title.element.pPr is not None else None
        if borders is not None:
            title.element.pPr.remove(borders)
        for name in ("Caption",):
            styles[name].font.name = FONT
            styles[name].font.size = Pt(10)
            styles[name].font.color.rgb = None
            styles[name].font.italic = False
            styles[name].font.bold = True
            styles[name].paragraph_format.keep_with_next = True
        # Word's own name for the look of a link: blue and underlined.
        hyperlink = styles.add_style("Hyperlink", WD_STYLE_TYPE.CHARACTER, builtin=True)
        hyperlink.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
        hyperlink.font.underline = True

    def _page(self, landscape, running_header):
        section = self.document.sections[0]
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_width, section.page_height = Cm(PAGE_HEIGHT_CM), Cm(PAGE_WIDTH_CM)
        else:
            section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, Cm(MARGIN_CM))
        if running_header:
            header = section.header.paragraphs[0]
            header.text = word_text(running_header)
            header.style = self.document.styles["Header"]
            header.runs[0].font.size = Pt(9)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        footer.add_run("Page ").font.size = Pt(9)
        _page_number_field(footer)

    # --- The header block --------------------------------------------------------

    def header_block(self, fields):
        """The REPORT TO / SUBJECT / ... block: a two-column table, labels in bold capitals
        as row headers. Fields with no value are left out."""
        fields = [(label, value) for label, value in fields if value]
        if not fields:
            return None
        table = self.document.add_table(rows=0, cols=2)
        table.style = self.document.styles["Normal Table"]
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        label_width = Cm(5.5)
        value_width = Cm(self.text_width_cm) - label_width
        table.autofit = False
        table.columns[0].width, table.columns[1].width = label_width, value_width
        for label, value in fields:
            row = table.add_row()
            _keep_row_whole(row)
            label_cell, value_cell = row.cells
            label_cell.width, value_cell.width = label_width, value_width
            run = label_cell.paragraphs[0].add_run(word_text(f"{label.upper()}:"))
            run.bold = True
            self._fill(value_cell, value)
        self.document.add_paragraph()
        return table

    # --- Sections and paragraphs ---------------------------------------------------

    def section(self, text):
        """A numbered section heading ("2. What changed"), Word's Heading 1."""
        self.section_number += 1
        self.paragraph_number = 0
        return self.document.add_heading(word_text(f"{self.section_number}. {text}"), level=1)

    def heading(self, text, level=2):
        """An unnumbered heading inside a section (Heading 2 or 3)."""
        return self.document.add_heading(word_text(text), level=level)

    def paragraph(self, text="", *, bold_lead=""):
        """A paragraph; `bold_lead` starts it in bold ("What's working well: ...")."""
        paragraph = self.document.add_paragraph()
        if bold_lead:
            paragraph.add_run(word_text(bold_lead)).bold = True
            if text:
                paragraph.add_run(" ")
        if text:
            paragraph.add_run(word_text(text))
        return paragraph

    def numbered_paragraph(self, text, *, bold_lead=""):
        """A paragraph numbered within its section: "2.3 ..."."""
        self.paragraph_number += 1
        number = f"{self.section_number}.{self.paragraph_number}"
        paragraph = self.document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(1.25)
        paragraph.paragraph_format.first_line_indent = Cm(-1.25)
        paragraph.add_run(f"{number}\t")
        if bold_lead:
            paragraph.add_run(word_text(bold_lead)).bold = True
            paragraph.add_run(" ")
        paragraph.add_run(word_text(text))
        return paragraph

    def bullets(self, items):
        for item in items:
            self.document.add_paragraph(word_text(item), style="List Bullet")

    # --- Tables ------------------------------------------------------------------------

    def table(self, columns, rows, *, caption="", widths=None, linked_columns=()):
        """A data table in Word's Table Grid style: a numbered caption above ("Table 2:
        Overdue actions"), a bold header row that repeats on every page, rows that never
        split. `widths` are relative column widths, scaled to the text width; the web
        addresses in the `linked_columns` (indexes) are links."""
        if caption:
            self.table_number += 1
            self.document.add_paragraph(
                word_text(f"Table {self.table_number}: {caption}"), style="Caption"
            )
        table = self.document.add_table(rows=1, cols=len(columns))
        table.style = self.document.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        total = sum(widths) if widths else len(columns)
        cell_widths = [
            Cm(self.text_width_cm * (width / total)) for width in (widths or [1] * len(columns))
        ]
        # The table grid's widths too: LibreOffice (and Word, on reflow) lay columns out by
        # the grid, not by each cell's width.
        for column, width in zip(table.columns, cell_widths, strict=True):
            column.width = width
        header = table.rows[0]
        _set_repeat_header(header)
        _keep_row_whole(header)
        for cell, text, width in zip(header.cells, columns, cell_widths, strict=True):
            cell.width = width
            run = cell.paragraphs[0].add_run(word_text(text))
            run.bold = True
        empty_row = None
        for values in rows:
            if empty_row is None:
                # add_row gives each cell its column's width.
                row = table.add_row()
                _keep_row_whole(row)
                for cell in row.cells:
                    _cell_spacing(cell)
                # Every other row starts as a copy of this one: python-docx's add_row and
                # its widths and spacing, cell by cell, cost more than the words.
                empty_row = copy.deepcopy(row._tr)
            else:
                row_element = copy.deepcopy(empty_row)
                table._tbl.append(row_element)
                row = _Row(row_element, table)
            for index, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
                self._fill(cell, value, links=index in linked_columns, spaced=True)
        # Space after a table, so the next heading isn't jammed against it.
        self.document.add_paragraph()
        return table

    @staticmethod
    def _fill(cell, value, *, links=False, spaced=False):
        """Text into a cell, a line break for each newline (Word ignores bare newlines; a
        vertical tab or form feed, as Word itself pastes a line or page break, is one too);
        with `links`, each http or https web address in it a link. `spaced`: the cell's
        spacing is set already (_cell_spacing)."""
        paragraph = cell.paragraphs[0]
        if not spaced:
            _cell_spacing(cell)
        lines = str(value if value is not None else "").splitlines() or [""]
        for number, line in enumerate(lines):
            if number:
                paragraph.add_run().add_break()
            line = word_text(line)
            for words, address in web_address_pieces(line) if links else [(line, "")]:
                if address:
                    _hyperlink(paragraph, address)
                else:
                    paragraph.add_run(words)

    # --- Out ----------------------------------------------------------------------

    def to_bytes(self):
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()

    def response(self, filename):
        """The paper as a download named `filename` (.docx)."""
        return HttpResponse(
            self.to_bytes(),
            content_type=DOCX_CONTENT_TYPE,
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )


def table_rows(document):
    """Every table of a python-docx Document as lists of cell texts: how tests and checks
    read a paper back."""
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]

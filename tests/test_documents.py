"""The committee-paper house style (cypeplan/documents.py), read back with python-docx."""

import io

import docx.table
from docx import Document
from docx.oxml.ns import qn

from cypeplan.documents import CommitteePaper, table_rows


def paper_read_back(paper):
    return Document(io.BytesIO(paper.to_bytes()))


def test_a_paper_has_the_committee_header_block_and_numbered_sections():
    paper = CommitteePaper(title="Quarterly report", agenda_item="Agenda item 8")
    paper.header_block(
        [("Report to", "Children and Young People Scrutiny Sub-Committee"), ("Subject", "")]
    )
    paper.section("Summary")
    paper.numbered_paragraph("Nine actions are overdue.")
    paper.section("What changed")
    paper.numbered_paragraph("Two more.")

    document = paper_read_back(paper)

    texts = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Title", "Quarterly report") in texts
    assert ("Heading 1", "1. Summary") in texts
    assert ("Heading 1", "2. What changed") in texts
    assert any(text == "2.1\tTwo more." for _, text in texts)
    # A field with no value is left out of the block.
    assert table_rows(document)[0] == [
        ["REPORT TO:", "Children and Young People Scrutiny Sub-Committee"]
    ]
    assert document.core_properties.title == "Quarterly report"
    assert document.core_properties.language == "en-GB"


def test_a_table_has_a_caption_and_a_header_row_that_repeats_on_every_page():
    paper = CommitteePaper(title="Paper")
    paper.table(["Ref", "Action"], [["1.1", "First\nsecond line"], ["1.2", "Other"]], caption="X")

    document = paper_read_back(paper)

    table = document.tables[0]
    assert table.style.name == "Table Grid"
    header = table.rows[0]._tr.trPr
    assert header.find(qn("w:tblHeader")).get(qn("w:val")) == "true"
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert table_rows(document)[0] == [
        ["Ref", "Action"],
        ["1.1", "First\nsecond line"],
        ["1.2", "Other"],
    ]
    assert "Table 1: X" in [p.text for p in document.paragraphs if p.style.name == "Caption"]


def test_a_paper_is_a_word_download_with_its_file_name():
    response = CommitteePaper(title="Paper").response("Plan – Quarter 2.docx")

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert "Quarter%202.docx" in response["Content-Disposition"]
    Document(io.BytesIO(response.content))


# Characters a .docx (XML 1.0) cannot hold, as text pasted from other programs brings them:
# escape, backspace, a vertical tab (Word's line break), U+FFFE and U+FFFF.
CONTROL = "Agreed\x1b by\x08 all\x0bpartners\ufffe \uffffin May"


def test_a_paper_leaves_out_characters_word_cannot_hold_and_keeps_the_rest():
    paper = CommitteePaper(title=f"Report {CONTROL}", running_header=CONTROL, subject=CONTROL)
    paper.header_block([("Report to", CONTROL)])
    paper.section(CONTROL)
    paper.heading(CONTROL)
    paper.paragraph(CONTROL, bold_lead=CONTROL)
    paper.numbered_paragraph(CONTROL, bold_lead=CONTROL)
    paper.bullets([CONTROL])
    paper.table([CONTROL], [[CONTROL]], caption=CONTROL, linked_columns=(0,))

    document = paper_read_back(paper)

    texts = [p.text for p in document.paragraphs]
    assert "Report Agreed by allpartners in May" in texts
    assert "Agreed by allpartners in May" in texts
    # In a cell, the vertical tab is a line break, as Word pasted it.
    assert table_rows(document)[-1][-1] == ["Agreed by all\npartners in May"]
    assert document.core_properties.title == "Report Agreed by allpartners in May"


def test_a_tables_rows_are_made_with_the_same_python_docx_work_for_2_rows_as_for_200(
    monkeypatch,
):
    """A large plan's report has tables of thousands of rows: python-docx's add_row, with
    its cell-by-cell widths and spacing, makes one row of a table; the others are copies."""
    add_row = docx.table.Table.add_row

    def rows_added(rows):
        added = []
        with monkeypatch.context() as patched:
            patched.setattr(
                docx.table.Table, "add_row", lambda table: added.append(1) or add_row(table)
            )
            paper = CommitteePaper(title="Quarterly report")
            paper.table(["Ref", "Action"], [[f"1.{n}", "Hold\nmeetings"] for n in range(rows)])
        return len(added), table_rows(paper_read_back(paper))[0]

    few, _ = rows_added(2)
    many, table = rows_added(200)

    assert few == many == 1
    assert len(table) == 201
    assert table[1] == ["1.0", "Hold\nmeetings"]
    assert table[200] == ["1.199", "Hold\nmeetings"]

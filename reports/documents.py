"""The quarterly report as documents, one function per document, each built from the same
ReportContent the page shows: Word (the council's committee-paper style, in
cypeplan/documents.py) and PDF (WeasyPrint, from the page's own HTML and print styles).
"""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template.loader import render_to_string

from cypeplan.documents import DOCX_CONTENT_TYPE, CommitteePaper
from cypeplan.govuk.printing import css_string

from .content import long_date

PDF_CONTENT_TYPE = "application/pdf"
CONTENT_TYPES = {"docx": DOCX_CONTENT_TYPE, "pdf": PDF_CONTENT_TYPE}


def report_docx(report):
    """The report as a Word committee paper: header block, numbered sections and the same
    tables as the page, each with a header row that repeats on every page."""
    paper = CommitteePaper(
        title=report.title,
        running_header=report.running_header,
        subject=f"{report.plan_name}, {report.quarter.name}",
        keywords=f"quarterly report; {report.quarter.short_name}; {report.edition}",
    )
    paper.paragraph(f"Position as at {long_date(report.as_at)}. {report.edition}.")
    paper.header_block(report.header)

    paper.section("Summary")
    paper.numbered_paragraph(report.summary)
    _table(paper, report.summary_table)

    paper.section(f"What changed since {report.compared_with_short_name}")
    for table in report.change_tables:
        paper.heading(table.heading, level=2)
        if table.rows:
            _table(paper, table)
        else:
            paper.paragraph("None.")

    paper.section("Overdue and at-risk actions by theme")
    for table in report.exception_tables:
        paper.heading(table.heading, level=2)
        _table(paper, table)
    if not report.exception_tables:
        paper.paragraph(f"No action was overdue or at risk as at {long_date(report.as_at)}.")

    paper.section("Overdue and at-risk actions by lead")
    if report.lead_table.rows:
        _table(paper, report.lead_table)
    else:
        paper.paragraph("None.")

    paper.section("Every action’s position")
    for table in report.position_tables:
        paper.heading(table.heading, level=2)
        _table(paper, table)
    return paper


def _table(paper, table):
    paper.table(
        table.columns,
        table.rows,
        caption=table.caption,
        widths=table.widths,
        linked_columns=table.linked_columns,
    )


# --- PDF ---------------------------------------------------------------------------


def running_css(report):
    """The printed page's margins: the plan, quarter, as-at date and edition at the top of
    every page, the page number at the foot. Used by the page's print stylesheet and the PDF.

    The app's own print rules give every page a running header too (the page's plan and
    as-at date); the report's header must win over them, wherever the sheets are ordered
    (WeasyPrint ranks the stylesheets passed to it below the document's own)."""
    # Escaped as the pages' own print header is: every character but letters and digits,
    # so nothing in a plan's name (a quote, a form feed) can end the string.
    head = f'"{css_string(report.running_header)}"'
    return (
        "@page {\n"
        f"  @top-left {{ content: {head} !important; font-family: arial, sans-serif; "
        "font-size: 8pt; "
        "vertical-align: bottom; padding-bottom: 2mm; }\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages); '
        "font-family: arial, sans-serif; font-size: 8pt; }\n"
        "}\n"
    )


def _static_file(url):
    """The file on disk behind one of the app's static URLs; None for anything else."""
    path = urlsplit(url).path
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not path.startswith(prefix):
        return None
    name = path.removeprefix(prefix)
    found = finders.find(name)
    if not found and staticfiles_storage.exists(name):
        found = staticfiles_storage.path(name)
    return found


def _static_fetcher():
    """WeasyPrint reads the page's own stylesheets and images from disk, never the network."""
    from weasyprint.urls import URLFetcher

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            found = _static_file(url)
            if not found:
                raise ValueError(f"The PDF may use only the app's own static files, not {url}")
            return super().fetch(Path(found).resolve().as_uri(), headers)

    return StaticFilesFetcher(allowed_protocols={"file"})


def report_pdf(report):
    """The report as a tagged PDF (PDF/UA-1): the page's title and sections with its print
    styles, with the document's title and language, and text that can be selected. Made
    without a request (a command can make it too): its only links are the evidence's web
    addresses, and its stylesheet is read from disk (_static_fetcher)."""
    from weasyprint import CSS, HTML

    html = render_to_string("reports/report_document.html", {"report": report})
    document = HTML(string=html, base_url=f"{settings.SITE_URL}/", url_fetcher=_static_fetcher())
    return document.write_pdf(
        stylesheets=[CSS(string=running_css(report))],
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        custom_metadata=True,
    )

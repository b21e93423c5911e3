"""The text WeasyPrint lays out on each page, margin boxes (header, footer) included; read from
its document model, so the tests need no PDF text extractor."""

from __future__ import annotations

import weasyprint


def page_texts(html: str) -> list[str]:
    """One string per page: the text boxes joined by single spaces."""
    document = weasyprint.HTML(string=html).render()
    pages = []
    for page in document.pages:
        boxes = page._page_box.descendants()
        pages.append(" ".join(" ".join(b.text.split()) for b in boxes if hasattr(b, "text")))
    return pages

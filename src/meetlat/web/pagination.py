from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 50


def paginate(request: HttpRequest, items: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """The requested page; a bad or too large page number gives the nearest valid page."""
    paginator = Paginator(items, per_page)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()

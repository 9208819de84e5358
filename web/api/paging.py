"""Optional paging of list endpoints: `?page=&page_size=`.

Without either parameter a list answers in full, as it always has (api.md fixes the body: a
JSON array). With one of them it answers that page of the same, stably ordered list, and
says where the rest is: `X-Total-Count` (items in the whole list) and an RFC 8288 `Link`
header with `first`, `prev`, `next` and `last`. A page past the end is an empty array with
the same headers, as a client walking `next` links never reaches it.

The scoped list is still read whole from the database and cut here, so paging saves the
serialisation and the transfer (a 3000-worker month's plan: ~7 500 assignments), not the query.
"""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from flask import request
from marshmallow import Schema, validate

from web.api.fields import Integer

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


class PageArgsSchema(Schema):
    page = Integer(validate=validate.Range(min=1), metadata={
        "description": "1-based page number; with page_size, the list comes in pages "
                       f"(page_size {DEFAULT_PAGE_SIZE} if left out)"})
    page_size = Integer(validate=validate.Range(min=1, max=MAX_PAGE_SIZE), metadata={
        "description": f"items per page, at most {MAX_PAGE_SIZE}; without page and "
                       "page_size the whole list is returned"})


def paged(blp):
    """Decorate a list view (below its `@blp.response`): adds the optional paging
    parameters to its query string and documentation, and cuts its list."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, page=None, page_size=None, **kwargs):
            items = view(*args, **kwargs)
            if page is None and page_size is None:
                return items
            return one_page(list(items), page or 1, page_size or DEFAULT_PAGE_SIZE)
        return blp.arguments(PageArgsSchema, location="query", as_kwargs=True)(wrapper)
    return decorator


def one_page(items: list, page: int, size: int):
    """(the page's items, 200, headers) for flask-smorest's response decorator."""
    total = len(items)
    last = max(1, -(-total // size))
    links = {"first": 1, "last": last}
    if page > 1:
        links["prev"] = min(page - 1, last)
    if page < last:
        links["next"] = page + 1
    header = ", ".join(f'<{_url(number, size)}>; rel="{rel}"' for rel, number in links.items())
    start = (page - 1) * size
    return items[start:start + size], 200, {"X-Total-Count": str(total), "Link": header}


def _url(page: int, size: int) -> str:
    args = [(key, value) for key, value in request.args.items(multi=True)
            if key not in ("page", "page_size")]
    return f"{request.base_url}?{urlencode(args + [('page', page), ('page_size', size)])}"

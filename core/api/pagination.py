from rest_framework.pagination import PageNumberPagination

from core.pagination import LargeTablePaginator


class StandardPagination(PageNumberPagination):
    """Page-number pagination; clients may ask for up to 200 rows a page with `page_size`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class LargeTablePagination(StandardPagination):
    """For list endpoints over very large tables: `count` is exact up to 10,000 rows, an estimate
    beyond (see `core.pagination.LargeTablePaginator`), so a page never waits for a full COUNT(*)."""

    django_paginator_class = LargeTablePaginator

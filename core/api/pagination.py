from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

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

    def get_paginated_response(self, data):
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_is_estimate": paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["count_is_estimate"] = {
            "type": "boolean",
            "description": "True when `count` is the planner's estimate (more than 10,000 rows).",
        }
        return schema

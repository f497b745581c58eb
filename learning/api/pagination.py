"""Pagination of the API's lists: DRF's own classes, with absolute ``next``/``previous`` links and a
largest page, so no caller can ask for a whole table at once, and an offset capped below what a
database integer holds (``?offset=`` beyond any table is simply past the end)."""

from rest_framework.pagination import LimitOffsetPagination, PageNumberPagination

# No table here comes near this many rows; an offset beyond it reads as the end of the list.
MAX_OFFSET = 2**31 - 1


class CappedOffsetPagination(LimitOffsetPagination):
    def get_offset(self, request):
        return min(super().get_offset(request), MAX_OFFSET)


class LimitOffset(CappedOffsetPagination):
    """The default for list endpoints: ``?limit=&offset=``, 50 by default, at most 500."""

    default_limit = 50
    max_limit = 500


class RosterRowsPagination(CappedOffsetPagination):
    """A roster's rows: 100 by default (the preview's length), at most 1,000."""

    default_limit = 100
    max_limit = 1000


class PeoplePagination(PageNumberPagination):
    """A commune's people: ``?page=`` of 50, ``?page_size=`` up to 500."""

    page_size = 50
    max_page_size = 500
    page_size_query_param = "page_size"

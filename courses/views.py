from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import content_search


@require_GET
def search(request):
    query = request.GET.get("q", "").strip()[:200]
    results = content_search(query) if query else None
    return render(request, "courses/search.html", {"query": query, "results": results})

"""The search page: every register searched from the navigation bar (web/search.py)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from search.selectors import LIMIT_PER_TYPE, clean_term, search


class SearchView(LoginRequiredMixin, TemplateView):
    """Records of every kind matching `?q=`, grouped by kind, the first few of each with a
    count and a link to the register listing them all."""

    template_name = "web/search.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        term = clean_term(self.request.GET.get("q", ""))
        groups = search(self.request.user, term)
        context.update(
            site_search_term=term,
            groups=groups,
            total=sum(group.total for group in groups),
            limit_per_type=LIMIT_PER_TYPE,
        )
        return context

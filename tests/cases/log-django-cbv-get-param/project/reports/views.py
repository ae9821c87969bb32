import logging

from django.http import JsonResponse
from django.views import View

REPORTS = {"2024-q1.pdf": "2024", "2024-q2.pdf": "2024", "2023-q4.pdf": "2023"}


class ReportListView(View):
    def get(self, request):
        period = request.GET.get("period", "all")
        logging.info("reports listed for period %s", period)
        return JsonResponse({"reports": [name for name, year in REPORTS.items() if period in (year, "all")]})

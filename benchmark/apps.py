"""
The benchmark's own parts (bench/README.md): the ceiling views every page is measured against
and the builders of a realistic database (`manage.py bench_data`, `manage.py bench_outcomes`).
Installed only when benchmarking (DJANGO_BENCHMARK=true), so production never has them.
"""

from django.apps import AppConfig


class BenchmarkConfig(AppConfig):
    name = "benchmark"
    verbose_name = "Benchmark"

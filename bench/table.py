"""The benchmark's results as the text table it prints (bench/README.md, "Reading the table")."""


def table(results):
    rows = results["pages"]
    ceiling = rows.get("ceiling", {}).get("rps") or None
    signed_in = rows.get("ceiling-signed-in", {}).get("rps") or None
    lines = [
        f"{'page':28} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'x ceiling':>9} "
        f"{'x signed-in':>11} {'queries':>7} {'errors':>6}"
    ]
    for row in rows.values():
        if row.get("skipped"):
            lines.append(f"{row['label']:28} skipped: {row['skipped']}")
            continue
        ratio = f"{row['rps'] / ceiling:.2f}" if ceiling else "-"
        ratio_signed_in = f"{row['rps'] / signed_in:.2f}" if signed_in else "-"
        lines.append(
            f"{row['label']:28} {row['rps']:8.1f} {row['p50_ms']:8.2f} {row['p95_ms']:8.2f} "
            f"{ratio:>9} {ratio_signed_in:>11} {row['queries']:>7} "
            f"{row['errors'] + row['unexpected_status']:>6}"
        )
    memory = results["memory_mb"]
    lines.append("")
    lines.append(
        "worker RSS MB  booted: "
        + ", ".join(str(v) for v in memory["booted"])
        + "  after warm-up: "
        + ", ".join(str(v) for v in memory["start"])
        + "  end: "
        + ", ".join(str(v) for v in memory["end"])
        + f"  growth: {memory['growth_percent']}%"
    )
    if "last_pass_growth_percent" in memory:
        lines.append(
            "worker RSS MB at the end of each pass: "
            + "; ".join(", ".join(str(v) for v in end) for end in memory["pass_ends"])
            + f"  growth over the last pass: {memory['last_pass_growth_percent']}%"
        )
    pages = results["pages"]
    if all(pages.get(name, {}).get("p50_ms") for name in ("lesson", "report-500")):
        ratio = pages["report-500"]["p50_ms"] / pages["lesson"]["p50_ms"]
        lines.append(
            f"report of 500 parents, median / lesson page median: {ratio:.1f} (target: 2 or less)"
        )
    for name, row in results.get("csv_rss", {}).items():
        lines.append(
            f"{name}: {row['requests']} downloads of {row['bytes_per_request']} B, worker RSS "
            f"{row['rss_before_mb']} -> {row['rss_after_mb']} MB (growth {row['growth_mb']} MB)"
        )
    weight = results.get("lesson_weight")
    if weight:
        lines.append(
            f"lesson page weight: {weight['total_kb']} KB transferred "
            f"(HTML {weight['html_bytes']} B {weight['html_encoding']}, "
            f"{weight['css_files']} CSS, {weight['js_files']} JS, "
            f"static cacheable: {weight['all_cacheable']})"
        )
    return "\n".join(lines)

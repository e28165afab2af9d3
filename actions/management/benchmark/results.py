"""The timings gathered in a run, printed beside the targets."""

from dataclasses import dataclass, field

from .pages import PAST

# The targets of issue 11, printed beside each figure.
TODAY_SCALING, PAST_SCALING, FLOOR_TIMES, REFERENCE_TIMES, XLSX_TIMES = 1.5, 2.5, 10, 1.5, 3


@dataclass
class Results:
    pages: list = field(default_factory=list)
    references: list = field(default_factory=list)
    generated: dict = field(default_factory=dict)

    def median(self, page, size, when):
        for row in self.pages:
            if (row["page"], row["size"], row["when"]) == (page, size, when):
                return row["median"]
        return None

    def report(self, out, database, updates_per_action, repeat, sizes):
        write = out.write
        write(
            f"\n{database}: median and 95th percentile of {repeat} requests after one "
            f"warm-up (which counts the queries), {updates_per_action} updates per action; "
            f"as at today and as at {PAST.days} days ago. “x floor” divides by the floor "
            "page's median in the same run.\n"
        )
        header = (
            f"{'page':<22} {'size':>7} {'as at':<6} {'median ms':>10} {'p95 ms':>8} "
            f"{'queries':>8} {'KB':>8} {'x floor':>8} {'peak KB':>8}"
        )
        write(header)
        write("-" * len(header))
        for row in self.pages:
            floor = self.median("floor", row["size"], row["when"])
            peak = "" if row["peak_kb"] is None else f"{row['peak_kb']:.0f}"
            queries = "" if row["queries"] is None else row["queries"]
            write(
                f"{row['page']:<22} {row['size']:>7,} {row['when']:<6} {row['median']:>10.1f} "
                f"{row['p95']:>8.1f} {queries:>8} {row['kb']:>8.1f} "
                f"{row['median'] / floor:>8.1f} {peak:>8}"
            )
        if len(sizes) > 1:
            small, large = min(sizes), max(sizes)
            write(
                f"\nScaling: median at {large:,} ÷ median at {small:,} (target ≤ "
                f"{TODAY_SCALING} as at today, ≤ {PAST_SCALING} as at a past date), and "
                f"x floor at {large:,} (target ≤ {FLOOR_TIMES}).\n"
            )
            header = f"{'page':<22} {'as at':<6} {'large/small':>12} {'x floor':>8}  verdict"
            write(header)
            write("-" * len(header))
            for row in self.pages:
                if row["size"] != large or row["page"] == "floor":
                    continue
                before = self.median(row["page"], small, row["when"])
                if before is None:
                    continue
                ratio = row["median"] / before
                times_floor = row["median"] / self.median("floor", large, row["when"])
                limit = TODAY_SCALING if row["when"] == "today" else PAST_SCALING
                verdict = "ok" if ratio <= limit and times_floor <= FLOOR_TIMES else "MISSED"
                write(
                    f"{row['page']:<22} {row['when']:<6} {ratio:>12.2f} {times_floor:>8.1f}  "
                    f"{verdict}"
                )
        write(
            f"\nThe app's SQL beside hand-written SQL giving the same answer (checked), "
            f"median ms (target ≤ {REFERENCE_TIMES}x).\n"
        )
        header = f"{'query':<16} {'size':>7} {'as at':<6} {'app ms':>8} {'hand ms':>8} {'ratio':>6}"
        write(header)
        write("-" * len(header))
        for row in self.references:
            write(
                f"{row['name']:<16} {row['size']:>7,} {row['when']:<6} {row['app']:>8.1f} "
                f"{row['ref']:>8.1f} {row['app'] / row['ref']:>6.2f}"
            )
        pairs = [("register CSV", "register XLSX"), ("overdue by lead CSV", None)]
        write(f"\nDownloads: XLSX ÷ CSV of the same rows (target ≤ {XLSX_TIMES}).")
        for size in sizes:
            for when in ("today", "past"):
                csv_ms = self.median(pairs[0][0], size, when)
                xlsx_ms = self.median(pairs[0][1], size, when)
                if csv_ms and xlsx_ms:
                    write(
                        f"  {size:,} actions, {when}: CSV {csv_ms:.0f} ms, XLSX {xlsx_ms:.0f} ms, "
                        f"ratio {xlsx_ms / csv_ms:.2f}"
                    )
        for size, seconds in self.generated.items():
            write(
                f"Generating {size:,} actions x {updates_per_action} updates took {seconds:.1f} s."
            )

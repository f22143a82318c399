#!/usr/bin/env python3
"""Writes the synthetic YouTube samples under samples/landing/youtube/.

Run from the repository root: python3 samples/tools/make_youtube_samples.py (deterministic).
"""
import datetime as dt
import json
import random
from pathlib import Path

OUT = Path("samples/landing/youtube")


def day_values(day):
    rnd = random.Random(day.toordinal())
    views = rnd.randint(80, 900)
    return {
        "views": views,
        "minutes": round(views * rnd.uniform(1.1, 2.6), 1),
        "likes": views // rnd.randint(12, 25),
        "comments": rnd.randint(0, 9),
        "shares": rnd.randint(0, 6),
        "gained": rnd.randint(0, 12),
        "lost": rnd.randint(0, 7),
        "impressions": views * rnd.randint(6, 11),
    }


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def api_reply(first, last):
    headers = [("day", "DIMENSION", "STRING"), ("views", "METRIC", "INTEGER"), ("estimatedMinutesWatched", "METRIC", "FLOAT"),
               ("likes", "METRIC", "INTEGER"), ("comments", "METRIC", "INTEGER"), ("shares", "METRIC", "INTEGER"),
               ("subscribersGained", "METRIC", "INTEGER"), ("subscribersLost", "METRIC", "INTEGER")]
    rows = []
    for d in days(first, last):
        v = day_values(d)
        rows.append([d.isoformat(), v["views"], v["minutes"], v["likes"], v["comments"], v["shares"], v["gained"], v["lost"]])
    return {"kind": "youtubeAnalytics#resultTable",
            "columnHeaders": [{"name": n, "columnType": t, "dataType": k} for n, t, k in headers],
            "rows": rows}


def csv(lines, bom=False, end="\n"):
    text = end.join(lines) + end
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def studio_table(first, last, fmt, blank=None, negative=None):
    header = "Date,Views,Watch time (hours),Subscribers,Impressions,Impressions click-through rate (%)"
    body = []
    totals = [0, 0.0, 0, 0]
    for d in days(first, last):
        v = day_values(d)
        hours = round(v["minutes"] / 60, 4)
        subs = v["gained"] - v["lost"]
        if negative and d in negative:
            subs = -abs(subs) - 2
        ctr = round(100 * v["views"] / 3 / v["impressions"], 2)
        cells = [fmt(d), str(v["views"]), f"{hours}", str(subs), str(v["impressions"]), f"{ctr}"]
        if blank and d in blank:
            for index in blank[d]:
                cells[index] = ""
        body.append(cells)
        totals[0] += v["views"]
        totals[1] += hours
        totals[2] += subs
        totals[3] += v["impressions"]
    total = ["Total", str(totals[0]), f"{round(totals[1], 4)}", str(totals[2]), str(totals[3]), ""]
    quoted = [",".join(f'"{c}"' if "," in c else c for c in row) for row in [total] + body]
    return [header] + quoted


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # API: 2025-01-01 .. 2025-01-14, and a later reply with no rows (a period without data).
    (OUT / "youtube_analytics_20250115_080000.json").write_text(
        json.dumps(api_reply(dt.date(2025, 1, 1), dt.date(2025, 1, 14)), indent=2), encoding="utf-8")
    empty = api_reply(dt.date(2025, 1, 1), dt.date(2025, 1, 1))
    del empty["rows"]
    (OUT / "youtube_analytics_20250201_080000.json").write_text(json.dumps(empty, indent=2), encoding="utf-8")

    # Studio export as downloaded (folder named like Studio's ZIP): dates "Jan 8, 2025", a Total row,
    # an empty cell and negative subscriber changes. Its days overlap the API reply.
    studio = OUT / "Date 2025-01-08_2025-01-21 Bedrot Records"
    studio.mkdir(exist_ok=True)
    english = lambda d: d.strftime("%b ") + str(d.day) + d.strftime(", %Y")
    (studio / "Table data.csv").write_bytes(csv(studio_table(dt.date(2025, 1, 8), dt.date(2025, 1, 21), english,
                                                             blank={dt.date(2025, 1, 18): [2]},
                                                             negative={dt.date(2025, 1, 10), dt.date(2025, 1, 19)})))
    chart = ["Date,Content,Video title,Video publish time,Views"]
    for d in days(dt.date(2025, 1, 8), dt.date(2025, 1, 21)):
        v = day_values(d)["views"]
        chart.append(f'"{english(d)}",dQw4w9WgXcQ,"Midnight Drive (Official Video)","Dec 12, 2024",{v * 2 // 3}')
        chart.append(f'"{english(d)}",kJQP7kiw5Fk,"Sólveig — live in Reykjavík","Jan 3, 2025",{v - v * 2 // 3}')
    (studio / "Chart data.csv").write_bytes(csv(chart))
    totals = ["Date,Views"] + [f'"{english(d)}",{day_values(d)["views"]}' for d in days(dt.date(2025, 1, 8), dt.date(2025, 1, 21))]
    (studio / "Totals.csv").write_bytes(csv(totals))

    # The next fortnight, re-saved by Excel: d-MMM-yy in the table, M/D/YYYY in Totals, CRLF,
    # and a chart with only its header.
    excel = OUT / "Date 2025-01-22_2025-02-04 Bedrot Records (Excel)"
    excel.mkdir(exist_ok=True)
    (excel / "Table data.csv").write_bytes(csv(studio_table(dt.date(2025, 1, 22), dt.date(2025, 2, 4),
                                                            lambda d: f"{d.day}-{d.strftime('%b')}-{d.strftime('%y')}",
                                                            negative={dt.date(2025, 1, 30)}), end="\r\n"))
    (excel / "Totals.csv").write_bytes(csv(["Date,Views"] + [f"{d.month}/{d.day}/{d.year},{day_values(d)['views']}"
                                                             for d in days(dt.date(2025, 1, 22), dt.date(2025, 2, 4))], end="\r\n"))
    (excel / "Chart data.csv").write_bytes(csv(["Date,Content,Video title,Video publish time,Views"], end="\r\n"))


if __name__ == "__main__":
    main()

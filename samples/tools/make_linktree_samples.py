#!/usr/bin/env python3
"""Writes the synthetic Linktree admin GraphQL captures under samples/landing/linktree/ (deterministic).

Run from the repository root: python3 samples/tools/make_linktree_samples.py
"""
import datetime as dt
import json
import random
from pathlib import Path

OUT = Path("samples/landing/linktree")


def metric(n):
    return {"__typename": "AnalyticsMetric", "total": n}


def day(d):
    rnd = random.Random(d.toordinal() * 31)
    views = rnd.randint(20, 160)
    clicks = views * rnd.randint(35, 65) // 100
    return views, clicks


def capture(name, data):
    # Minified, as the browser's network panel saves it.
    (OUT / name).write_text(json.dumps({"data": data}, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")


def overview(first, last):
    points, views, clicks = [], 0, 0
    d = first
    while d <= last:
        v, c = day(d)
        points.append({"__typename": "AnalyticsTimeseriesPoint", "date": d.isoformat(), "views": metric(v), "clicks": metric(c),
                       "clickThroughRate": round(c / v, 4)})
        views, clicks = views + v, clicks + c
        d += dt.timedelta(days=1)
    return {"getAccountAnalytics": {"__typename": "AccountAnalytics", "username": "bedrotrecords",
                                    "overview": {"__typename": "AnalyticsOverview", "views": metric(views), "clicks": metric(clicks),
                                                 "clickThroughRate": round(clicks / views, 4), "clickThroughBenchmark": 38.2},
                                    "timeseries": points}}


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    capture("graphql_20250608_101500_1.json", overview(dt.date(2025, 6, 1), dt.date(2025, 6, 7)))
    capture("graphql_20250608_101500_2.json", {"getAccountAnalytics": {"__typename": "AccountAnalytics", "username": "bedrotrecords", "linkClicks": [
        {"__typename": "LinkClicks", "linkId": "88172301", "title": "Midnight Drive \u2014 Spotify", "url": "https://open.spotify.com/track/x1", "clicks": metric(214)},
        {"__typename": "LinkClicks", "linkId": "88172302", "title": "S\u00f3lveig (pre-save)", "url": "https://distrokid.com/hyperfollow/x2", "clicks": metric(97)},
        {"__typename": "LinkClicks", "linkId": "88172303", "title": "Merch \U0001F319", "url": "https://shop.example/x3", "clicks": metric(0)}]}})
    capture("graphql_20250608_101500_3.json", {"getAccountAnalytics": {"__typename": "AccountAnalytics", "username": "bedrotrecords",
        "referrers": [{"__typename": "ReferrerAnalytics", "referrer": "instagram.com", "views": metric(402), "clicks": metric(221)},
                      {"__typename": "ReferrerAnalytics", "referrer": "tiktok.com", "views": metric(188), "clicks": metric(90)},
                      {"__typename": "ReferrerAnalytics", "referrer": "direct", "views": metric(57), "clicks": metric(0)}],
        "locations": [{"__typename": "LocationAnalytics", "country": "US", "views": metric(301), "clicks": metric(160)},
                      {"__typename": "LocationAnalytics", "country": "MX", "views": metric(120), "clicks": metric(71)}],
        "devices": [{"__typename": "DeviceAnalytics", "device": "mobile", "views": metric(590), "clicks": metric(300)},
                    {"__typename": "DeviceAnalytics", "device": "desktop", "views": metric(57), "clicks": metric(11)}]}})
    capture("graphql_20250608_101500_4.json", {
        "link88172301": {"__typename": "Link", "id": "88172301", "title": "Midnight Drive \u2014 Spotify", "url": "https://open.spotify.com/track/x1"},
        "link88172302": {"__typename": "Link", "id": "88172302", "title": "S\u00f3lveig (pre-save)", "url": "https://distrokid.com/hyperfollow/x2"}})
    # A week later: overlaps 2025-06-05 .. 2025-06-07, which Linktree has since recounted upwards.
    later = overview(dt.date(2025, 6, 5), dt.date(2025, 6, 14))
    for point in later["getAccountAnalytics"]["timeseries"][:3]:
        point["views"]["total"] += 5
        point["clicks"]["total"] += 3
        point["clickThroughRate"] = round(point["clicks"]["total"] / point["views"]["total"], 4)
    capture("graphql_20250615_090000_1.json", later)


if __name__ == "__main__":
    main()

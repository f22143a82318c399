#!/usr/bin/env python3
"""Writes the synthetic TikTok Studio samples under samples/landing/tiktok/.

Run from the repository root: python3 samples/tools/make_tiktok_samples.py
The output is deterministic (fixed seeds, fixed ZIP timestamps), so re-running it changes nothing.
"""
import datetime as dt
import io
import random
import zipfile
from pathlib import Path

OUT = Path("samples/landing/tiktok")
EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"]


def en(day):
    return f"{EN[day.month - 1]} {day.day}"


def es(day):
    return f"{day.day} de {ES[day.month - 1]}"


def sheet(header, rows):
    """UTF-8 with BOM, every field quoted, LF, no final newline."""
    lines = [",".join(f'"{c}"' for c in header)]
    lines += [",".join('"' + str(v).replace('"', '""') + '"' for v in row) for row in rows]
    return ("\ufeff" + "\n".join(lines)).encode("utf-8")


def days(first, last):
    d = first
    while d <= last:
        yield d
        d += dt.timedelta(days=1)


def followers_on(day, seed):
    """A follower count that grows about 7 a day with noise, so some days lose followers."""
    noise = random.Random(seed * 7919 + day.toordinal()).randint(-25, 25)
    return 1800 + seed * 10 + (day - dt.date(2024, 1, 1)).days * 7 + noise


def export(name, exported, first, fmt, seed, undefined=None, missing=(), revise=None):
    undefined = undefined or {}
    overview, viewers, history, activity = [], [], [], []
    for d in days(first, exported):
        if d in missing:
            continue
        # Each day's numbers depend only on the account and the day, so overlapping exports agree.
        rnd = random.Random(seed * 100003 + d.toordinal())
        views = rnd.randint(300, 2400)
        likes, comments, shares = views // rnd.randint(8, 14), rnd.randint(0, 25), rnd.randint(0, 18)
        profile = views // rnd.randint(15, 30)
        if revise and d in revise:
            views, likes = views + revise[d], likes + revise[d] // 10
        row = [fmt(d), views, profile, likes, comments, shares]
        for column in undefined.get(d, []):
            row[column] = "undefined"
        overview.append(row)
        followers = followers_on(d, seed)
        history.append([fmt(d), followers, followers - followers_on(d - dt.timedelta(days=1), seed)])
        total = views // 3
        new = total * rnd.randint(55, 80) // 100
        viewers.append([fmt(d), total, new, total - new])
    rnd = random.Random(seed)
    for d in list(days(exported - dt.timedelta(days=6), exported)):
        for hour in range(24):
            activity.append([fmt(d), hour, rnd.randint(20, 400)])
    content = [
        ["Midnight Drive \u2014 teaser \U0001F319", f"https://www.tiktok.com/@{name}/video/74512{seed:03d}90012345678",
         fmt(exported - dt.timedelta(days=20)), 812, 41, 17, 10233],
        ['Studio day: "KEYGEN", take 4', f"https://www.tiktok.com/@{name}/video/74527{seed:03d}11234567890",
         fmt(exported - dt.timedelta(days=9)), 455, 12, 9, 5120],
        ["S\u00f3lveig live, Reykjav\u00edk", f"https://www.tiktok.com/@{name}/video/74533{seed:03d}45678901234",
         fmt(exported - dt.timedelta(days=2)), "undefined", 3, 0, 0],
    ]
    files = {
        "Overview.csv": sheet(["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"], overview),
        "Content.csv": sheet(["Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares", "Total views"], content),
        "Viewers.csv": sheet(["Date", "Total Viewers", "New Viewers", "Returning Viewers"], viewers),
        "FollowerHistory.csv": sheet(["Date", "Followers", "Difference in followers from previous day"], history),
        "FollowerGender.csv": sheet(["Gender", "Distribution"], [["Female", "0.54"], ["Male", "0.41"], ["Other", "0.05"]]),
        "FollowerTopTerritories.csv": sheet(["Top territories", "Distribution"],
                                            [["US", "0.38"], ["MX", "0.17"], ["GB", "0.09"], ["DE", "0.06"], ["Others", "0.3"]]),
        "FollowerActivity.csv": sheet(["Date", "Hour", "Active followers"], activity),
    }
    return files, content


def write_zip(path, files, when):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    path.write_bytes(buffer.getvalue())


def epoch(moment):
    return int(moment.replace(tzinfo=dt.timezone.utc).timestamp())


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    # 1. bedrotrecords, exported 2025-01-05: 60 days from 2024-11-07, across New Year; English months;
    #    undefined values on two days; 2024-12-25 missing.
    first_export = dt.datetime(2025, 1, 5, 10, 0, 0)
    files, _ = export("bedrotrecords", first_export.date(), dt.date(2024, 11, 7), en, 11,
                      undefined={dt.date(2024, 12, 31): [3], dt.date(2025, 1, 1): [1, 2]},
                      missing={dt.date(2024, 12, 25)})
    write_zip(OUT / f"Overview_2025-01-05_{epoch(first_export)}_bedrotrecords.zip", files, first_export)

    # 2. bedrotrecords again, exported 2025-01-12: overlaps 2024-12-14 .. 2025-01-05, revising the
    #    last three days of the first export upwards (TikTok counts late views).
    second_export = dt.datetime(2025, 1, 12, 9, 30, 0)
    revise = {dt.date(2025, 1, 3): 120, dt.date(2025, 1, 4): 250, dt.date(2025, 1, 5): 400}
    files, _ = export("bedrotrecords", second_export.date(), dt.date(2024, 12, 14), en, 11, revise=revise,
                      undefined={dt.date(2024, 12, 31): [3], dt.date(2025, 1, 1): [1, 2]},
                      missing={dt.date(2024, 12, 25)})
    write_zip(OUT / f"Overview_2025-01-12_{epoch(second_export)}_bedrotrecords.zip", files, second_export)

    # 3. zonea0.official, a Spanish-language account, exported 2025-03-10: 30 days, "8 de marzo".
    spanish_export = dt.datetime(2025, 3, 10, 18, 45, 0)
    files, _ = export("zonea0.official", spanish_export.date(), dt.date(2025, 2, 9), es, 23)
    write_zip(OUT / f"Overview_2025-03-10_{epoch(spanish_export)}_zonea0.official.zip", files, spanish_export)

    # 4. The Content sheet alone, saved as video_performance_<account>_<date>.csv.
    _, content = export("pig1987", dt.date(2025, 2, 2), dt.date(2025, 1, 20), en, 42)
    (OUT / "video_performance_pig1987_20250202.csv").write_bytes(
        sheet(["Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares", "Total views"], content))


if __name__ == "__main__":
    main()

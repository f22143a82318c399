using System.Text;
using Bedrot.DataLake.Tests.Hostile;

namespace Bedrot.DataLake.Tests.Platforms.TikTok;

/// <summary>TikTok Studio exports built in memory, shaped as Studio writes them.</summary>
internal static class StudioExports
{
    /// <summary>A name with the export date 2025-01-05 and the account <c>bedrotrecords</c>.</summary>
    public const string JanuaryName = "Overview_2025-01-05_1736071200_bedrotrecords.zip";

    public static readonly string[] OverviewHeader = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"];

    public static readonly string[] HistoryHeader = ["Date", "Followers", "Difference in followers from previous day"];

    public static readonly string[] ContentHeader =
        ["Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares", "Total views"];

    /// <summary>A sheet as Studio writes it: UTF-8 with a BOM, every field quoted, LF, no final newline.</summary>
    public static byte[] Sheet(string[] header, params string[][] rows)
    {
        var lines = rows.Prepend(header).Select(r => string.Join(",", r.Select(v => "\"" + v.Replace("\"", "\"\"") + "\"")));
        return Encoding.UTF8.GetBytes("\uFEFF" + string.Join("\n", lines));
    }

    /// <summary>An Overview sheet with one row per (date, views) and fixed other counts.</summary>
    public static byte[] Overview(params (string Date, string Views)[] days) =>
        Sheet(OverviewHeader, days.Select(d => new[] { d.Date, d.Views, "10", "20", "3", "1" }).ToArray());

    /// <summary>A ZIP holding only an Overview sheet with these days.</summary>
    public static byte[] OverviewZip(params (string Date, string Views)[] days) => Exports.Zip(("Overview.csv", Overview(days)));
}

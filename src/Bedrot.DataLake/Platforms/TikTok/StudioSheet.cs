namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>
/// One CSV of a TikTok Studio "Download data" export: its file name inside the ZIP, the record type
/// its rows get, the columns it must have, and the columns holding year-less dates.
/// </summary>
internal sealed record StudioSheet(string FileName, string Record, IReadOnlyList<string> Columns, IReadOnlyList<string> DateColumns)
{
    /// <summary>For a breakdown sheet: the dimension its first column holds (<c>gender</c>, <c>territory</c>).</summary>
    public string? Dimension { get; init; }

    public static readonly StudioSheet Overview = new("Overview.csv", "overview",
        ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"], ["Date"]);

    public static readonly StudioSheet Content = new("Content.csv", "content",
        ["Video title", "Video link", "Post time", "Total likes", "Total comments", "Total shares", "Total views"], ["Post time"]);

    public static readonly StudioSheet Viewers = new("Viewers.csv", "viewers",
        ["Date", "Total Viewers", "New Viewers", "Returning Viewers"], ["Date"]);

    public static readonly StudioSheet FollowerHistory = new("FollowerHistory.csv", "follower_history",
        ["Date", "Followers", "Difference in followers from previous day"], ["Date"]);

    public static readonly StudioSheet FollowerGender = new("FollowerGender.csv", "follower_gender",
        ["Gender", "Distribution"], []) { Dimension = "gender" };

    public static readonly StudioSheet FollowerTopTerritories = new("FollowerTopTerritories.csv", "follower_territory",
        ["Top territories", "Distribution"], []) { Dimension = "territory" };

    public static readonly StudioSheet FollowerActivity = new("FollowerActivity.csv", "follower_activity",
        ["Date", "Hour", "Active followers"], ["Date"]);

    /// <summary>Every sheet the product reads, in the order the export lists them.</summary>
    public static IReadOnlyList<StudioSheet> All { get; } =
        [Overview, Content, Viewers, FollowerHistory, FollowerGender, FollowerTopTerritories, FollowerActivity];

    /// <summary>The sheet an entry name (its last path part) is, ignoring case; null for another CSV.</summary>
    public static StudioSheet? Named(string entryName)
    {
        var name = entryName[(entryName.LastIndexOf('/') + 1)..];
        return All.FirstOrDefault(s => string.Equals(s.FileName, name, StringComparison.OrdinalIgnoreCase));
    }
}

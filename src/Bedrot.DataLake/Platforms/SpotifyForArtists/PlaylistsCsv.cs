using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Platforms.SpotifyForArtists;

/// <summary>
/// <c>&lt;artist&gt;-playlists-1year.csv</c>: the playlists that streamed the artist over a window
/// (<c>title,author,listeners,streams,date_added</c>); Spotify's own playlists have author <c>-</c>
/// and no date added.
/// </summary>
public sealed partial class PlaylistsCsv : SpotifyForArtistsCsv
{
    public override string Datatype => "playlists";
    public override string Version => "1";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["title", "author", "listeners", "streams", "date_added"];
    protected override Regex NamePattern => Pattern();
    protected override string Record => "playlists";
    protected override IReadOnlyList<string> RequiredNameFields { get; } = ["artist", "window"];
    protected override string NameForm => "<artist>-playlists-<window>.csv, e.g. ZONE A0-playlists-1year.csv";

    [GeneratedRegex(@"^(?<artist>.+)-playlists-(?<window>[A-Za-z0-9]+)\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

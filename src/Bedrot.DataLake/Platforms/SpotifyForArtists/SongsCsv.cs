using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Platforms.SpotifyForArtists;

/// <summary>
/// <c>&lt;artist&gt;-songs-1year.csv</c> and <c>&lt;artist&gt;-songs-all.csv</c>: per-song totals over a
/// window (<c>song,listeners,streams,saves,release_date</c>, song names quoted). The all-time
/// window reports 0 listeners and 0 saves for every song: Spotify does not compute them there, so
/// they are read as "not reported" rather than as zero.
/// </summary>
public sealed partial class SongsCsv : SpotifyForArtistsCsv
{
    public override string Datatype => "songs";
    public override string Version => "1";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["song", "listeners", "streams", "saves", "release_date"];
    protected override Regex NamePattern => Pattern();
    protected override string Record => "songs";
    protected override IReadOnlyList<string> RequiredNameFields { get; } = ["artist", "window"];
    protected override string NameForm => "<artist>-songs-<window>.csv, e.g. ZONE A0-songs-1year.csv";

    protected override void Adjust(Dictionary<string, string?> fields)
    {
        if (string.Equals(fields.GetValueOrDefault("window"), "all", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var notReported in new[] { "listeners", "saves" })
            {
                if (fields.GetValueOrDefault(notReported)?.Trim() == "0")
                {
                    fields[notReported] = null;
                }
            }
        }
    }

    [GeneratedRegex(@"^(?<artist>.+)-songs-(?<window>[A-Za-z0-9]+)\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

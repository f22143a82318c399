using System.Text.RegularExpressions;
using Bedrot.DataLake.Raw;

namespace Bedrot.DataLake.Platforms.SpotifyForArtists;

/// <summary>
/// A song's daily streams (<c>date,streams</c>). The song and the window are only in the file
/// name: <c>&lt;song&gt;-timeline.csv</c> or <c>&lt;song&gt;-timeline-&lt;window&gt;.csv</c>.
/// </summary>
public sealed partial class SongTimelineCsv : SpotifyForArtistsCsv
{
    public override string Datatype => "song_timeline";
    public override string Version => "1";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["date", "streams"];
    protected override Regex NamePattern => Pattern();
    protected override string Record => "song_timeline";
    protected override IReadOnlyList<string> RequiredNameFields { get; } = ["song"];
    protected override string NameForm => "<song>-timeline.csv or <song>-timeline-<window>.csv";

    /// <summary>Exactly two columns: an audience timeline also has date and streams.</summary>
    protected override bool HeaderMatches(IReadOnlyList<string> header) =>
        header.Count == 2 && base.HeaderMatches(header);

    /// <summary>An audience timeline saved under a song's name would stage the artist's streams as the song's.</summary>
    protected override IEnumerable<RawProblem> CheckHeader(IReadOnlyList<string> header)
    {
        var audience = header.Where(c => c is "listeners" or "followers").ToList();
        if (audience.Count > 0)
        {
            yield return new RawProblem("line 1 (header)",
                $"a song's timeline has date and streams only; {string.Join(" and ", audience)} belong to an audience timeline (<artist>-audience-timeline.csv)");
        }
    }

    [GeneratedRegex(@"^(?!.*-audience-timeline\.csv$)(?<song>.+?)-timeline(?:-(?<window>[A-Za-z0-9]+))?\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

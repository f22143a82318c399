using System.Text.RegularExpressions;

namespace Bedrot.DataLake.Platforms.SpotifyForArtists;

/// <summary>
/// <c>&lt;artist&gt;-audience-timeline.csv</c>: the artist's daily listeners, streams and followers
/// (<c>date,listeners,streams,followers</c>; newer exports add monthly listeners, super listeners,
/// playlist adds and saves). The artist is in the file name only.
/// </summary>
public sealed partial class AudienceTimelineCsv : SpotifyForArtistsCsv
{
    public override string Datatype => "audience";
    public override string Version => "1";
    protected override IReadOnlyList<string> RequiredColumns { get; } = ["date", "listeners", "streams", "followers"];
    protected override Regex NamePattern => Pattern();
    protected override string Record => "audience";
    protected override IReadOnlyList<string> RequiredNameFields { get; } = ["artist"];
    protected override string NameForm => "<artist>-audience-timeline.csv";

    [GeneratedRegex(@"^(?<artist>.+)-audience-timeline\.csv$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}

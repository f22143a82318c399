using System.Text;

namespace Bedrot.DataLake.Tests.Platforms.SpotifyForArtists;

/// <summary>Spotify for Artists CSV downloads built in memory: UTF-8 with a BOM and LF unless a test says otherwise.</summary>
internal static class Downloads
{
    public const string AudienceHeader = "date,listeners,streams,followers";

    public const string NewerAudienceHeader =
        "date,listeners,monthly listeners,monthly active listeners,super listeners,streams,playlist adds,saves,followers";

    public const string SongsHeader = "song,listeners,streams,saves,release_date";

    public const string PlaylistsHeader = "title,author,listeners,streams,date_added";

    public const string TimelineHeader = "date,streams";

    /// <summary>The lines joined, each ending with <paramref name="lineEnd"/>, as UTF-8 with a BOM.</summary>
    public static byte[] WithBom(string lineEnd, params string[] lines) =>
        Encoding.UTF8.GetPreamble().Concat(WithoutBom(lineEnd, lines)).ToArray();

    /// <summary>The lines joined, each ending with <paramref name="lineEnd"/>, as UTF-8 without a BOM.</summary>
    public static byte[] WithoutBom(string lineEnd, params string[] lines) =>
        Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + lineEnd)));

    /// <summary>A fresh download: UTF-8 with a BOM, LF line ends.</summary>
    public static byte[] Fresh(params string[] lines) => WithBom("\n", lines);
}

namespace Bedrot.DataLake.Tests.Platforms.TooLost;

/// <summary>Small TooLost analytics replies built in memory, shaped like the real ones (pretty-printed, LF).</summary>
internal static class TooLostReplies
{
    public const string SpotifyFileName = "toolost_spotify_20250601_091500.json";
    public const string AppleFileName = "toolost_apple_20250601_091500.json";

    /// <summary>A Spotify reply: counts and fees as strings, dates not sorted.</summary>
    public const string Spotify = """
        {
          "streams": [
            {
              "date": "2025-05-11",
              "streams": "1147"
            },
            {
              "date": "2025-05-09",
              "streams": "1158"
            },
            {
              "date": "2025-05-13",
              "streams": "1076"
            },
            {
              "date": "2025-05-10",
              "streams": "932"
            }
          ],
          "discovery": [
            {
              "date": "2025-05-10",
              "streams": "41",
              "fees": "0.10"
            },
            {
              "date": "2025-05-09",
              "streams": "37",
              "fees": "1.25"
            }
          ]
        }
        """;

    /// <summary>An Apple Music reply: integer streams, string Shazam counts, tracks with ISRC, countries.</summary>
    public const string Apple = """
        {
          "totalStreams": [
            {"date": "2025-05-17", "streams": 179},
            {"date": "2025-05-05", "streams": 112}
          ],
          "totalShazam": [
            {"date": "2025-05-17", "streams": "3"},
            {"date": "2025-05-05", "streams": "0"}
          ],
          "tracksTotal": [
            {"isrc": "QZTB22500001", "streams": 201, "track": "GLASS ANGEL", "release": "GLASS ANGEL", "cover": "https://cdn.example/cover1.jpg"},
            {"isrc": "QZTB22500002", "streams": 90, "track": "Sólveig", "release": null, "cover": null}
          ],
          "countryTotal": [
            {"country": "US", "streams": 150},
            {"country": "DE", "streams": 141}
          ],
          "streamTotal": 291
        }
        """;
}

using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.SpotifyForArtists;

public sealed class SongTimelineCsvTests
{
    private const string WithWindow = "Midnight Drive-timeline-1year.csv";
    private const string WithoutWindow = "S\u00f3lveig-timeline.csv";

    private static readonly byte[] Timeline = Downloads.Fresh(Downloads.TimelineHeader, "2025-05-01,207", "2025-05-02,151");

    private static List<SourceRow> Read(string fileName, byte[] bytes) => new SongTimelineCsv().Read(Some.Content(fileName, bytes)).ToList();

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Take_The_Song_And_Window_From_The_File_Name()
        {
            // Given a one-year timeline of "Midnight Drive"
            // When it is read
            var rows = Read(WithWindow, Timeline);

            // Then every row carries the song and the window
            Assert.Equal(2, rows.Count);
            Assert.All(rows, row => Assert.Equal("Midnight Drive", row.Fields["song"]));
            Assert.All(rows, row => Assert.Equal("1year", row.Fields["window"]));
            Assert.All(rows, row => Assert.Equal("song_timeline", row.Record));
            Assert.Equal(["207", "151"], rows.Select(r => r.Fields["streams"]));
        }

        [Fact]
        public void Should_Give_No_Window_When_The_Name_Has_None()
        {
            // Given a timeline of "Sólveig" without a window in its name
            // When it is read
            var rows = Read(WithoutWindow, Timeline);

            // Then the song is "Sólveig" and the window has no value
            Assert.All(rows, row => Assert.Equal("S\u00f3lveig", row.Fields["song"]));
            Assert.All(rows, row => Assert.Null(row.Fields["window"]));
        }

        [Fact]
        public void Should_Compose_A_Decomposed_Accent_In_The_File_Name()
        {
            // Given the file name with "ó" as "o" plus a combining accent (as some file systems store it)
            // When it is read
            var row = Read("So\u0301lveig-timeline.csv", Timeline)[0];

            // Then the song holds the single composed character
            Assert.Equal("S\u00f3lveig", row.Fields["song"]);
        }

        [Fact]
        public void Should_Keep_Hyphens_Inside_The_Song_Name()
        {
            // Given a song whose name has a hyphen, with a window
            // When it is read
            var row = Read("Hold-On-timeline-28days.csv", Timeline)[0];

            // Then only the last part is the window
            Assert.Equal("Hold-On", row.Fields["song"]);
            Assert.Equal("28days", row.Fields["window"]);
        }
    }

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_A_Fresh_Download()
        {
            // Given a timeline with its song in the name
            // When it is validated
            var problems = new SongTimelineCsv().Validate(Some.Content(WithWindow, Timeline));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Reject_A_File_Whose_Name_Does_Not_Carry_The_Song()
        {
            // Given a timeline saved as foo.csv
            // When it is validated
            var problem = Assert.Single(new SongTimelineCsv().Validate(Some.Content("foo.csv", Timeline)));

            // Then the problem says the song is only in the file name
            Assert.Equal("file name", problem.Where);
            Assert.StartsWith("the song is only in the file name, and 'foo.csv'", problem.Problem, StringComparison.Ordinal);
        }
    }

    public sealed class TheConversionToStaging
    {
        [Fact]
        public void Should_Stage_The_Song_Window_And_An_Excel_Date()
        {
            // Given an Excel round-trip of the Sólveig timeline: CRLF, no BOM, date 5/20/2025
            var converter = Some.Converter("spotify", "song_timeline", sourceFile: WithoutWindow);
            var source = Assert.Single(Read(WithoutWindow, Downloads.WithoutBom("\r\n", Downloads.TimelineHeader, "5/20/2025,531")));

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then the song, its key, no window and the date are staged
            Assert.Null(reject);
            Assert.Equal("S\u00f3lveig", converter.Value(row!, "track_name"));
            Assert.Equal("solveig", converter.Value(row!, "track_key"));
            Assert.Null(converter.Value(row!, "window"));
            Assert.Equal(new DateOnly(2025, 5, 20), converter.Value(row!, "date"));
            Assert.Equal(531L, converter.Value(row!, "streams"));
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Theory]
        [InlineData(WithWindow)]
        [InlineData(WithoutWindow)]
        [InlineData("download (2).csv")]
        public void Should_Recognise_A_Song_Timeline_And_Not_An_Audience_Timeline(string fileName)
        {
            // Given a song timeline under its names or another one
            // When it is recognised
            var kind = _recognizer.Recognize(fileName, Timeline);

            // Then it is a song timeline
            Assert.IsType<SongTimelineCsv>(kind);
        }

        [Fact]
        public void Should_Not_Be_Claimed_By_The_Audience_Timeline()
        {
            // Given a song timeline
            // When / Then the audience kind claims neither its name nor its header
            Assert.False(new AudienceTimelineCsv().MatchesName(WithWindow));
            Assert.False(new AudienceTimelineCsv().MatchesName(WithoutWindow));
            Assert.False(new AudienceTimelineCsv().MatchesContent(Timeline));
        }
    }
}

using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.TooLost;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.TooLost;

public sealed class AppleMusicJsonTests
{
    private const string FileName = TooLostReplies.AppleFileName;

    private static List<SourceRow> Rows(string json) => new AppleMusicJson().Read(Some.Content(FileName, json)).ToList();

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Read_Integer_Streams_And_String_Shazam_Counts()
        {
            // Given a reply with integer totalStreams and string totalShazam counts
            // When it is read
            var daily = Rows(TooLostReplies.Apple).Where(r => r.Record == "daily").ToList();

            // Then both series are read, their counts as text, each with its measure
            Assert.Equal(4, daily.Count);
            Assert.All(daily, row => Assert.Null(row.Problem));
            Assert.Equal(["$.totalStreams[0]", "$.totalStreams[1]", "$.totalShazam[0]", "$.totalShazam[1]"], daily.Select(r => r.Locator));
            Assert.Equal(["179", "112", "3", "0"], daily.Select(r => r.Fields["streams"]));
            Assert.Equal(["2025-05-17", "2025-05-05", "2025-05-17", "2025-05-05"], daily.Select(r => r.Fields["date"]));
        }

        [Fact]
        public void Should_Give_Shazam_Rows_The_Measure_Shazams()
        {
            // Given a reply with two Shazam days
            // When it is read
            var rows = Rows(TooLostReplies.Apple);

            // Then the totalShazam rows have measure "shazams" and the totalStreams rows "streams"
            Assert.Equal(["shazams", "shazams"], rows.Where(r => r.Locator.StartsWith("$.totalShazam", StringComparison.Ordinal)).Select(r => r.Fields["measure"]));
            Assert.Equal(["streams", "streams"], rows.Where(r => r.Locator.StartsWith("$.totalStreams", StringComparison.Ordinal)).Select(r => r.Fields["measure"]));
        }

        [Fact]
        public void Should_Tag_Tracks_And_Countries_With_Their_Record_Types()
        {
            // Given a reply with two tracks and two countries
            // When it is read
            var rows = Rows(TooLostReplies.Apple);

            // Then per-track totals are track records and per-country totals country records
            Assert.Equal(8, rows.Count);
            Assert.Equal(["$.tracksTotal[0]", "$.tracksTotal[1]"], rows.Where(r => r.Record == "track").Select(r => r.Locator));
            Assert.Equal(["$.countryTotal[0]", "$.countryTotal[1]"], rows.Where(r => r.Record == "country").Select(r => r.Locator));
            Assert.Equal(["US", "DE"], rows.Where(r => r.Record == "country").Select(r => r.Fields["country"]));
        }

        [Fact]
        public void Should_Keep_The_Isrc_And_A_Non_Ascii_Track_Name()
        {
            // Given tracks with ISRCs, one named "Sólveig" in UTF-8
            // When the reply is read
            var tracks = Rows(TooLostReplies.Apple).Where(r => r.Record == "track").ToList();

            // Then the ISRCs and the names are the text of the file
            Assert.Equal(["QZTB22500001", "QZTB22500002"], tracks.Select(r => r.Fields["isrc"]));
            Assert.Equal(["GLASS ANGEL", "S\u00f3lveig"], tracks.Select(r => r.Fields["track"]));
            Assert.Equal(["201", "90"], tracks.Select(r => r.Fields["streams"]));
        }

        [Fact]
        public void Should_Read_Json_Null_As_No_Value()
        {
            // Given a track whose release and cover are null
            // When the reply is read
            var track = Rows(TooLostReplies.Apple).Single(r => r.Locator == "$.tracksTotal[1]");

            // Then those fields are present without a value
            Assert.True(track.Fields.ContainsKey("release"));
            Assert.Null(track.Fields["release"]);
            Assert.Null(track.Fields["cover"]);
        }

        [Fact]
        public void Should_Decode_An_Escaped_Non_Ascii_Character()
        {
            // Given a track name written with a JSON escape for "ó"
            var json = TooLostReplies.Apple.Replace("\"track\": \"S\u00f3lveig\"", "\"track\": \"S\\u00f3lveig\"", StringComparison.Ordinal);
            Assert.Contains("S\\u00f3lveig", json, StringComparison.Ordinal);

            // When it is read
            var track = Rows(json).Single(r => r.Locator == "$.tracksTotal[1]");

            // Then the name holds the character
            Assert.Equal("S\u00f3lveig", track.Fields["track"]);
        }
    }

    public sealed class TheValidateMethod
    {
        private readonly AppleMusicJson _kind = new();

        private IReadOnlyList<RawProblem> Validate(string json) => _kind.Validate(Some.Content(FileName, json));

        [Fact]
        public void Should_Accept_A_Well_Formed_Reply()
        {
            // Given a reply with integer streams, string Shazam counts, tracks and countries
            // When it is validated
            var problems = Validate(TooLostReplies.Apple);

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Name_The_Track_Missing_Its_Isrc()
        {
            // Given a second track without an ISRC
            var json = """
                {
                  "totalStreams": [{"date": "2025-05-01", "streams": 1}],
                  "totalShazam": [{"date": "2025-05-01", "streams": "0"}],
                  "tracksTotal": [
                    {"isrc": "QZTB22500001", "streams": 1, "track": "GLASS ANGEL"},
                    {"streams": 0, "track": "S\u00f3lveig"}
                  ],
                  "countryTotal": [{"country": "US", "streams": 1}],
                  "streamTotal": 1
                }
                """;

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at $.tracksTotal[1].isrc on the track's line
            Assert.Equal("$.tracksTotal[1].isrc (line 6)", problem.Where);
            Assert.Equal("required property 'isrc' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_An_Isrc_Of_The_Wrong_Form()
        {
            // Given a track whose ISRC is not one
            var json = TooLostReplies.Apple.Replace("QZTB22500002", "not an isrc", StringComparison.Ordinal);

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at that ISRC and says its form is wrong
            Assert.Equal("$.tracksTotal[1].isrc (line 12)", problem.Where);
            Assert.StartsWith("the value does not have the expected form (pattern ", problem.Problem);
        }

        [Fact]
        public void Should_Name_TotalStreams_When_It_Is_An_Object()
        {
            // Given totalStreams written as an object
            var json = """
                {
                  "totalStreams": {"date": "2025-05-01", "streams": 1},
                  "totalShazam": [],
                  "tracksTotal": [],
                  "countryTotal": [],
                  "streamTotal": 1
                }
                """;

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem names totalStreams and says an array was expected
            Assert.Equal("$.totalStreams (line 2)", problem.Where);
            Assert.Equal("expected an array", problem.Problem);
        }

        [Fact]
        public void Should_Name_Every_Missing_Part()
        {
            // Given a reply with only the daily series
            var json = """{"totalStreams": [{"date": "2025-05-01", "streams": 1}], "totalShazam": []}""";

            // When it is validated
            var problems = Validate(json);

            // Then each missing property is its own problem
            Assert.Equal(
                ["$.countryTotal (line 1)", "$.streamTotal (line 1)", "$.tracksTotal (line 1)"],
                problems.Select(p => p.Where).Order(StringComparer.Ordinal));
            Assert.Contains(problems, p => p.Problem == "required property 'tracksTotal' is missing");
        }

        [Fact]
        public void Should_Reject_A_Reply_Without_Any_Daily_Streams()
        {
            // Given a reply whose totalStreams is empty (the contract asks for at least one day)
            var json = """
                {
                  "totalStreams": [],
                  "totalShazam": [],
                  "tracksTotal": [],
                  "countryTotal": [],
                  "streamTotal": 0
                }
                """;

            // When it is validated
            var problems = Validate(json);

            // An empty series is a failed capture, not a day without streams.
            var problem = Assert.Single(problems);
            Assert.StartsWith("$.totalStreams", problem.Where, StringComparison.Ordinal);
            Assert.Equal("the array has too few items (at least 1)", problem.Problem);
        }
    }

    public sealed class TheDatasetMapping
    {
        private static readonly PlatformMapping Mapping = PlatformMapping.Load(Repository.Schemas, "mappings/toolost.json");

        private static DatasetMapping Dataset(string name) => Mapping.Datasets.Single(d => d.Name == name);

        [Fact]
        public void Should_Feed_Three_Datasets_From_An_Apple_Reply()
        {
            // Given the TooLost mapping
            // When the datasets of the apple datatype are listed
            var names = Mapping.ForRawDatatype("apple").Select(d => d.Name);

            // Then they are the daily series, the tracks and the countries
            Assert.Equal(["analytics", "apple_countries", "apple_tracks"], names.Order(StringComparer.Ordinal));
        }

        [Theory]
        [InlineData("analytics", "daily")]
        [InlineData("apple_tracks", "track")]
        [InlineData("apple_countries", "country")]
        public void Should_Give_Each_Dataset_Only_Its_Record_Type(string dataset, string record)
        {
            // Given every row of a reply
            var rows = Rows(TooLostReplies.Apple);

            // When the dataset picks its rows
            var taken = rows.Where(Dataset(dataset).Takes).ToList();

            // Then it takes exactly the rows of its record type
            Assert.NotEmpty(taken);
            Assert.Equal(rows.Where(r => r.Record == record).Select(r => r.Locator), taken.Select(r => r.Locator));
        }
    }

    public sealed class TheConversionToStaging
    {
        [Fact]
        public void Should_Stage_Daily_Rows_With_Their_Measure_And_Value()
        {
            // Given the daily rows of a reply
            var converter = Some.Converter("toolost", "apple", "analytics");
            var daily = Rows(TooLostReplies.Apple).Where(r => r.Record == "daily").ToList();

            // When they are converted
            var rows = daily.Select(r => converter.Convert(r).Row!).ToList();

            // Then integer streams and string Shazam counts are both whole numbers, each with its measure
            Assert.Equal([179L, 112L, 3L, 0L], rows.Select(r => (long?)converter.Value(r, "value")));
            Assert.Equal(["streams", "streams", "shazams", "shazams"], rows.Select(r => (string?)converter.Value(r, "measure")));
            Assert.All(rows, r => Assert.Equal("apple_music", converter.Value(r, "platform")));
            Assert.Equal(new DateOnly(2025, 5, 17), converter.Value(rows[2], "date"));
        }

        [Fact]
        public void Should_Stage_A_Track_With_Its_Isrc_And_Non_Ascii_Name()
        {
            // Given the "Sólveig" track row
            var converter = Some.Converter("toolost", "apple", "apple_tracks");
            var source = Rows(TooLostReplies.Apple).Single(r => r.Locator == "$.tracksTotal[1]");

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then the ISRC and the display name are kept, and the key is unaccented
            Assert.Null(reject);
            Assert.Equal("QZTB22500002", converter.Value(row!, "isrc"));
            Assert.Equal("S\u00f3lveig", converter.Value(row!, "track_name"));
            Assert.Equal("solveig", converter.Value(row!, "track_key"));
            Assert.Equal(90L, converter.Value(row!, "streams"));
            Assert.Null(converter.Value(row!, "release_name"));
        }

        [Fact]
        public void Should_Stage_A_Country_Total()
        {
            // Given the first country row
            var converter = Some.Converter("toolost", "apple", "apple_countries");
            var source = Rows(TooLostReplies.Apple).Single(r => r.Locator == "$.countryTotal[0]");

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then the country and its streams are staged
            Assert.Null(reject);
            Assert.Equal("US", converter.Value(row!, "country"));
            Assert.Equal(150L, converter.Value(row!, "streams"));
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Theory]
        [InlineData("toolost_apple_20250601_091500.json")]
        [InlineData("toolost_analytics_20250612_080000.json")]
        [InlineData("download.json")]
        public void Should_Recognise_An_Apple_Reply(string fileName)
        {
            // Given an Apple Music reply under its own name, the shared analytics name, or another name
            // When it is recognised
            var kind = _recognizer.Recognize(fileName, Encoding.UTF8.GetBytes(TooLostReplies.Apple));

            // Then it is the Apple Music reply, not the Spotify series that also claims the analytics name
            Assert.IsType<AppleMusicJson>(kind);
        }
    }
}

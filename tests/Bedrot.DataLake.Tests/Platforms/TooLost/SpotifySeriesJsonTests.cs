using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.TooLost;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.TooLost;

public sealed class SpotifySeriesJsonTests
{
    private const string FileName = TooLostReplies.SpotifyFileName;

    public sealed class TheReadMethod
    {
        private readonly SpotifySeriesJson _kind = new();

        [Fact]
        public void Should_Read_Every_Day_Of_An_Unsorted_Series()
        {
            // Given a reply whose streams series has four days out of order
            // When it is read
            var rows = _kind.Read(Some.Content(FileName, TooLostReplies.Spotify)).ToList();

            // Then every day is a row, in the order of the file, with its JSON path
            var streams = rows.Where(r => r.Fields["series"] == "streams").ToList();
            Assert.Equal(6, rows.Count);
            Assert.All(rows, row => Assert.Null(row.Problem));
            Assert.Equal(4, streams.Count);
            Assert.Equal(["2025-05-11", "2025-05-09", "2025-05-13", "2025-05-10"], streams.Select(r => r.Fields["date"]));
            Assert.Equal(["2025-05-09", "2025-05-10", "2025-05-11", "2025-05-13"], streams.Select(r => r.Fields["date"]).Order(StringComparer.Ordinal));
            Assert.Equal(["1147", "1158", "1076", "932"], streams.Select(r => r.Fields["streams"]));
            Assert.Equal("$.streams[3]", streams[3].Locator);
        }

        [Fact]
        public void Should_Read_The_Discovery_Series_With_Its_Fees()
        {
            // Given a reply with a discovery series of two days
            // When it is read
            var rows = _kind.Read(Some.Content(FileName, TooLostReplies.Spotify)).ToList();

            // Then those days are rows of series "discovery" with their streams and fees as written
            var discovery = rows.Where(r => r.Fields["series"] == "discovery").ToList();
            Assert.Equal(2, discovery.Count);
            Assert.Equal(["$.discovery[0]", "$.discovery[1]"], discovery.Select(r => r.Locator));
            Assert.Equal(["2025-05-10", "2025-05-09"], discovery.Select(r => r.Fields["date"]));
            Assert.Equal(["41", "37"], discovery.Select(r => r.Fields["streams"]));
            Assert.Equal(["0.10", "1.25"], discovery.Select(r => r.Fields["fees"]));
        }

        [Fact]
        public void Should_Tag_Every_Row_As_A_Daily_Record()
        {
            // Given a reply with both series
            // When it is read
            var rows = _kind.Read(Some.Content(FileName, TooLostReplies.Spotify)).ToList();

            // Then every row is a daily record
            Assert.All(rows, row => Assert.Equal("daily", row.Record));
        }

        [Fact]
        public void Should_Read_A_Reply_Without_A_Discovery_Series()
        {
            // Given a reply with only the streams series
            var json = """{"streams": [{"date": "2025-05-01", "streams": "10"}]}""";

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, json)));

            // Then its one day is read
            Assert.Equal("streams", row.Fields["series"]);
            Assert.Equal("10", row.Fields["streams"]);
            Assert.False(row.Fields.ContainsKey("fees"));
        }

        [Fact]
        public void Should_Read_A_Bom_Prefixed_Reply()
        {
            // Given the reply saved with a UTF-8 byte order mark
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(TooLostReplies.Spotify)).ToArray();

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, bytes)).ToList();

            // Then it reads as without the mark
            Assert.Equal(6, rows.Count);
            Assert.All(rows, row => Assert.Null(row.Problem));
        }

        [Fact]
        public void Should_Yield_An_Unreadable_Row_For_An_Element_That_Is_Not_An_Object()
        {
            // Given a streams series with a bare number before a good day
            var json = """{"streams": [7, {"date": "2025-05-01", "streams": "10"}]}""";

            // When it is read
            var rows = _kind.Read(Some.Content(FileName, json)).ToList();

            // Then that element is a daily-record problem at its index and the next one is read
            Assert.Equal(2, rows.Count);
            Assert.Equal("$.streams[0]", rows[0].Locator);
            Assert.Equal("expected an object, found integer", rows[0].Problem);
            Assert.Equal("daily", rows[0].Record);
            Assert.Empty(rows[0].Fields);
            Assert.Null(rows[1].Problem);
            Assert.Equal("2025-05-01", rows[1].Fields["date"]);
        }

        [Fact]
        public void Should_Yield_A_Single_Unreadable_Row_For_Truncated_Json()
        {
            // Given a reply cut off in the middle of the first day
            var json = "{\n  \"streams\": [\n    {\"date\": \"2025-05-01\", \"streams\": \"1\"";

            // When it is read
            var row = Assert.Single(_kind.Read(Some.Content(FileName, json)));

            // Then the row carries the parse problem and where it is
            Assert.Equal("line 3, position 41", row.Locator);
            Assert.StartsWith("not valid JSON", row.Problem);
            Assert.Empty(row.Fields);
        }
    }

    public sealed class TheValidateMethod
    {
        private readonly SpotifySeriesJson _kind = new();

        private IReadOnlyList<RawProblem> Validate(string json) => _kind.Validate(Some.Content(FileName, json));

        [Fact]
        public void Should_Accept_A_Well_Formed_Reply()
        {
            // Given a reply with string counts and fees, dates unsorted
            // When it is validated
            var problems = Validate(TooLostReplies.Spotify);

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Accept_A_Bom_Prefixed_Reply()
        {
            // Given the reply saved with a UTF-8 byte order mark
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(TooLostReplies.Spotify)).ToArray();

            // When it is validated
            var problems = _kind.Validate(Some.Content(FileName, bytes));

            // Then the mark is not a problem
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Accept_Integer_Counts()
        {
            // Given counts written as JSON integers instead of strings
            var json = """{"streams": [{"date": "2025-05-01", "streams": 10}], "discovery": [{"date": "2025-05-01", "streams": 2, "fees": 0.5}]}""";

            // When it is validated
            var problems = Validate(json);

            // Then the contract allows both
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Name_Streams_When_It_Is_An_Object()
        {
            // Given a reply whose streams is an object, not an array
            var json = """
                {
                  "streams": {"date": "2025-05-01", "streams": "10"}
                }
                """;

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at $.streams on its line and says an array was expected
            Assert.Equal("$.streams (line 2)", problem.Where);
            Assert.Equal("expected an array", problem.Problem);
        }

        [Fact]
        public void Should_Name_The_Row_Missing_Its_Date()
        {
            // Given a second day without a date
            var json = """
                {
                  "streams": [
                    {"date": "2025-05-01", "streams": "10"},
                    {"streams": "11"}
                  ]
                }
                """;

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem names the missing property at its JSON path and line
            Assert.Equal("$.streams[1].date (line 4)", problem.Where);
            Assert.Equal("required property 'date' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_A_Count_That_Is_Not_A_Whole_Number()
        {
            // Given a count "12a"
            var json = """
                {
                  "streams": [
                    {"date": "2025-05-01", "streams": "12a"}
                  ]
                }
                """;

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at the count's JSON path and line
            Assert.Equal("$.streams[0].streams (line 3)", problem.Where);

            // "12a" is a string, which the contract allows: what is wrong is its form, not its type.
            Assert.StartsWith("the value does not have the expected form", problem.Problem);
        }

        [Fact]
        public void Should_Name_A_Date_That_Is_Not_Iso()
        {
            // Given a date written as M/D/YYYY
            var json = """{"streams": [{"date": "5/1/2025", "streams": "10"}]}""";

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at the date and quotes the expected form
            Assert.Equal("$.streams[0].date (line 1)", problem.Where);
            Assert.Equal(@"the value does not have the expected form (pattern ^\d{4}-\d{2}-\d{2}$)", problem.Problem);
        }

        [Fact]
        public void Should_Reject_An_Empty_Streams_Array()
        {
            // Given a reply without any daily streams (a failed capture)
            var json = """{"streams": [], "discovery": []}""";

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at $.streams and says at least one item is needed
            Assert.Equal("$.streams (line 1)", problem.Where);
            Assert.Equal("the array has too few items (at least 1)", problem.Problem);
        }

        [Fact]
        public void Should_Reject_A_Reply_Without_Streams()
        {
            // Given a reply with only a discovery series
            var json = """{"discovery": [{"date": "2025-05-01", "streams": "1", "fees": "0.10"}]}""";

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem names the missing property
            Assert.Equal("$.streams (line 1)", problem.Where);
            Assert.Equal("required property 'streams' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_The_Line_And_Position_Of_Truncated_Json()
        {
            // Given a reply cut off after the first day's count
            var json = "{\n  \"streams\": [\n    {\"date\": \"2025-05-01\", \"streams\": \"1\"";

            // When it is validated
            var problem = Assert.Single(Validate(json));

            // Then the problem is at the end of the text, line 3, and says the JSON is not valid
            Assert.Equal("line 3, position 41", problem.Where);
            Assert.Equal("not valid JSON: Unexpected end of content while loading JObject", problem.Problem);
        }

        [Theory]
        [InlineData("")]
        [InlineData(" \r\n\t\n")]
        [InlineData("\uFEFF")]
        public void Should_Report_An_Empty_File(string text)
        {
            // Given a file with no JSON at all (nothing, white space, or a byte order mark only)
            // When it is validated
            var problem = Assert.Single(Validate(text));

            // Then the problem is about the whole file
            Assert.Equal("file", problem.Where);
            Assert.Equal("the file is empty; expected a JSON document", problem.Problem);
        }

        [Fact]
        public void Should_Report_Bytes_That_Are_Not_Utf8()
        {
            // Given a reply with a Latin-1 "ó" (byte 0xF3), which is not UTF-8
            var bytes = Encoding.Latin1.GetBytes("{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\", \"note\": \"S\u00f3lveig\"}]}");
            Assert.Contains((byte)0xF3, bytes);

            // When it is validated
            var problem = Assert.Single(_kind.Validate(Some.Content(FileName, bytes)));

            // Then the problem says the file is not UTF-8
            Assert.Equal("file", problem.Where);
            Assert.Equal("not UTF-8 text; a JSON export is UTF-8", problem.Problem);
        }
    }

    public sealed class TheConversionToStaging
    {
        private readonly SpotifySeriesJson _kind = new();
        private readonly RowConverter _converter = Some.Converter("toolost", "spotify", sourceFile: FileName);

        private object?[] Converted(SourceRow source)
        {
            var (row, reject) = _converter.Convert(source);
            Assert.Null(reject);
            return row!;
        }

        private List<SourceRow> Rows(string json) => _kind.Read(Some.Content(FileName, json)).ToList();

        [Fact]
        public void Should_Turn_A_Count_Written_As_A_String_Into_An_Integer()
        {
            // Given the first day of the streams series, count "1147"
            var source = Rows(TooLostReplies.Spotify)[0];

            // When it is converted
            var row = Converted(source);

            // Then the staging row holds the count as an integer and the date as a date
            Assert.Equal(1147L, _converter.Value(row, "streams"));
            Assert.Equal(new DateOnly(2025, 5, 11), _converter.Value(row, "date"));
            Assert.Equal("streams", _converter.Value(row, "series"));
            Assert.Equal("spotify", _converter.Value(row, "platform"));
            Assert.Null(_converter.Value(row, "fees_usd"));
        }

        [Fact]
        public void Should_Turn_A_Fee_Written_As_A_String_Into_A_Decimal()
        {
            // Given the discovery days, fees "0.10" and "1.25"
            var sources = Rows(TooLostReplies.Spotify).Where(r => r.Fields["series"] == "discovery").ToList();

            // When they are converted
            var rows = sources.Select(Converted).ToList();

            // Then the fees are decimals and the series is discovery
            Assert.Equal([0.10m, 1.25m], rows.Select(r => (decimal?)_converter.Value(r, "fees_usd")));
            Assert.Equal([41L, 37L], rows.Select(r => (long?)_converter.Value(r, "streams")));
            Assert.All(rows, r => Assert.Equal("discovery", _converter.Value(r, "series")));
        }

        [Fact]
        public void Should_Convert_Every_Day_Of_An_Unsorted_Series()
        {
            // Given the reply with four unsorted stream days and two discovery days
            // When every row is converted
            var rows = Rows(TooLostReplies.Spotify).Select(Converted).ToList();

            // Then all six days are staged, each with its own date
            Assert.Equal(6, rows.Count);
            Assert.Equal(
                new[] { new DateOnly(2025, 5, 9), new DateOnly(2025, 5, 10), new DateOnly(2025, 5, 11), new DateOnly(2025, 5, 13) },
                rows.Where(r => (string?)_converter.Value(r, "series") == "streams").Select(r => (DateOnly)_converter.Value(r, "date")!).Order());
        }

        [Fact]
        public void Should_Trim_A_Count_Padded_With_Spaces()
        {
            // Given a count " 12 " (the contract allows surrounding white space)
            var json = """{"streams": [{"date": "2025-05-01", "streams": " 12 "}]}""";
            Assert.Empty(_kind.Validate(Some.Content(FileName, json)));

            // When its row is converted
            var row = Converted(Assert.Single(Rows(json)));

            // Then the count is the whole number
            Assert.Equal(12L, _converter.Value(row, "streams"));
        }

        [Fact]
        public void Should_Reject_A_Negative_Integer_Count_The_Contract_Lets_Through()
        {
            // Given a count written as the JSON integer -3 (the contract's pattern applies to strings only)
            var json = """{"streams": [{"date": "2025-05-01", "streams": -3}]}""";
            Assert.Empty(_kind.Validate(Some.Content(FileName, json)));

            // When its row is converted
            var (row, reject) = _converter.Convert(Assert.Single(Rows(json)));

            // Then staging rejects it by the minimum rule
            Assert.Null(row);
            Assert.Equal("minimum", reject!.Rule);
            Assert.Equal("streams", reject.Field);
            Assert.Equal("$.streams[0]", reject.Locator);
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Theory]
        [InlineData("toolost_spotify_20250601_091500.json")]
        [InlineData("toolost_analytics_20250612_080000.json")]
        [InlineData("download.json")]
        public void Should_Recognise_A_Spotify_Reply(string fileName)
        {
            // Given a Spotify reply under its own name, the shared analytics name, or another name
            // When it is recognised
            var kind = _recognizer.Recognize(fileName, Encoding.UTF8.GetBytes(TooLostReplies.Spotify));

            // Then it is the Spotify series
            Assert.IsType<SpotifySeriesJson>(kind);
        }

        [Fact]
        public void Should_Recognise_A_Bom_Prefixed_Spotify_Reply_By_Its_Content()
        {
            // Given a Spotify reply with a byte order mark saved under another name
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(TooLostReplies.Spotify)).ToArray();

            // When it is recognised
            var kind = _recognizer.Recognize("reply (2).json", bytes);

            // Then its shape identifies it
            Assert.IsType<SpotifySeriesJson>(kind);
        }

        [Fact]
        public void Should_Not_Take_An_Apple_Reply_For_A_Spotify_Reply()
        {
            // Given an Apple Music reply
            var head = Encoding.UTF8.GetBytes(TooLostReplies.Apple);

            // When / Then the Spotify kind does not claim its content
            Assert.False(new SpotifySeriesJson().MatchesContent(head));
        }
    }
}

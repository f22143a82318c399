using System.Text;
using Bedrot.DataLake.Platforms.TooLost;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms;

/// <summary>The JSON handling every JSON kind shares, seen through the TooLost replies.</summary>
public sealed class JsonExportTests
{
    private const string SpotifyName = "toolost_spotify_20250601_091500.json";
    private const string AppleName = "toolost_apple_20250601_091500.json";

    private static IReadOnlyList<RawProblem> ValidateSpotify(string json) => new SpotifySeriesJson().Validate(Some.Content(SpotifyName, json));

    public sealed class TheErrorPaths
    {
        [Fact]
        public void Should_Name_Each_Problem_By_Its_Own_Json_Path_And_Line()
        {
            // Given a bad date in the streams series and a missing count in the discovery series
            var json = """
                {
                  "streams": [
                    {"date": "2025-05-01", "streams": "1"},
                    {"date": "2025-5-2", "streams": "2"}
                  ],
                  "discovery": [
                    {"date": "2025-05-01", "streams": "1", "fees": "0.10"},
                    {"date": "2025-05-02", "fees": "0.10"}
                  ]
                }
                """;

            // When it is validated
            var problems = ValidateSpotify(json);

            // Then each problem is at its own place
            Assert.Equal(2, problems.Count);
            Assert.Contains(problems, p => p.Where == "$.streams[1].date (line 4)" && p.Problem.StartsWith("the value does not have the expected form", StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Where == "$.discovery[1].streams (line 8)" && p.Problem == "required property 'streams' is missing");
        }

        [Fact]
        public void Should_Name_Every_Element_That_Is_Not_An_Object()
        {
            // Given a streams series of two bare numbers
            var json = """{"streams": [1, 2]}""";

            // When it is validated
            var problems = ValidateSpotify(json);

            // Then both elements are named as not being objects
            Assert.Contains(new RawProblem("$.streams[0] (line 1)", "expected an object"), problems);
            Assert.Contains(new RawProblem("$.streams[1] (line 1)", "expected an object"), problems);
        }

        [Fact]
        public void Should_Name_The_Root_When_The_Document_Is_Not_An_Object()
        {
            // Given a bare array where an object is expected
            var json = """[{"date": "2025-05-01", "streams": "1"}]""";

            // When it is validated
            var problems = ValidateSpotify(json);

            // Then the problem is at the root
            Assert.Contains(new RawProblem("$ (line 1)", "expected an object"), problems);
        }

        [Fact]
        public void Should_Name_A_Stream_Total_Of_The_Wrong_Type()
        {
            // Given an Apple reply whose streamTotal is an object
            var json = """
                {
                  "totalStreams": [{"date": "2025-05-01", "streams": 1}],
                  "totalShazam": [],
                  "tracksTotal": [],
                  "countryTotal": [],
                  "streamTotal": {"value": 1}
                }
                """;

            // When it is validated
            var problem = Assert.Single(new AppleMusicJson().Validate(Some.Content(AppleName, json)));

            // Then the problem names streamTotal on its line
            Assert.Equal("$.streamTotal (line 6)", problem.Where);
            Assert.Equal("the value has none of the allowed types (integer or string)", problem.Problem);
        }

        [Fact]
        public void Should_Not_Throw_For_A_Count_Too_Large_For_Any_Number_Type()
        {
            // Given a count of twenty digits, beyond a 64-bit integer and read as a big integer
            var json = """{"streams": [{"date": "2025-05-01", "streams": 99999999999999999999}]}""";

            // When it is validated
            var error = Record.Exception(() => ValidateSpotify(json));

            // Then there is no exception: bad data becomes problems or rows, never a failed step
            Assert.Null(error);
        }
    }

    public sealed class TheEndOfTheDocument
    {
        [Fact]
        public void Should_Reject_A_Document_Followed_By_Another_Value()
        {
            // Given a complete reply followed, two lines down, by a second JSON value
            var json = "{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\"}]}\n\n[1]\n";

            // When it is validated
            var problem = Assert.Single(ValidateSpotify(json));

            // Then the problem is on the line of the extra value
            Assert.StartsWith("line 3, position ", problem.Where, StringComparison.Ordinal);
            Assert.Contains("after", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Reject_Text_Right_After_The_Document()
        {
            // Given a reply with a stray character after its closing brace
            var json = "{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\"}]}x";

            // When it is read
            var row = Assert.Single(new SpotifySeriesJson().Read(Some.Content(SpotifyName, json)));

            // Then no record is read, only the problem on line 1
            Assert.NotNull(row.Problem);
            Assert.StartsWith("line 1, position ", row.Locator, StringComparison.Ordinal);
            Assert.Empty(row.Fields);
        }

        [Fact]
        public void Should_Reject_A_Comment_After_The_Document()
        {
            // Given a reply followed by a comment line
            var json = "{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\"}]}\n// saved by hand\n";

            // When it is validated
            var problem = Assert.Single(ValidateSpotify(json));

            // Then the problem says there is more after the document
            Assert.StartsWith("line 2, position ", problem.Where, StringComparison.Ordinal);
            Assert.Equal("more content after the end of the JSON document", problem.Problem);
        }

        [Fact]
        public void Should_Accept_White_Space_After_The_Document()
        {
            // Given a reply followed by blank lines and CRLF line ends
            var json = "{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\"}]}\r\n\r\n  \t\r\n";

            // When it is validated
            var problems = ValidateSpotify(json);

            // Then trailing white space is not content
            Assert.Empty(problems);
        }
    }

    public sealed class TheValuesAsWritten
    {
        [Fact]
        public void Should_Keep_The_Exact_Decimal_Text_Of_Numbers_And_Strings()
        {
            // Given fees written as the string "0.10", the numbers 0.10 and 0.1, and the number 1.50
            var json = """
                {
                  "streams": [{"date": "2025-05-01", "streams": "1"}],
                  "discovery": [
                    {"date": "2025-05-01", "streams": "1", "fees": "0.10"},
                    {"date": "2025-05-02", "streams": "1", "fees": 0.10},
                    {"date": "2025-05-03", "streams": "1", "fees": 0.1},
                    {"date": "2025-05-04", "streams": "1", "fees": 1.50}
                  ]
                }
                """;

            // When it is read
            var rows = new SpotifySeriesJson().Read(Some.Content(SpotifyName, json)).Where(r => r.Fields["series"] == "discovery");

            // Then each fee is the text of the file: 0.10 stays "0.10", not "0.1", and 0.1 stays "0.1"
            Assert.Equal(["0.10", "0.10", "0.1", "1.50"], rows.Select(r => r.Fields["fees"]));
        }

        [Fact]
        public void Should_Keep_An_Integer_Without_A_Decimal_Point()
        {
            // Given counts written as JSON integers
            var json = """{"streams": [{"date": "2025-05-01", "streams": 1095}, {"date": "2025-05-02", "streams": 0}]}""";

            // When it is read
            var rows = new SpotifySeriesJson().Read(Some.Content(SpotifyName, json));

            // Then they are plain digits
            Assert.Equal(["1095", "0"], rows.Select(r => r.Fields["streams"]));
        }

        [Fact]
        public void Should_Keep_Date_Like_Strings_As_Written()
        {
            // Given date and time strings in places without a date type
            var json = """
                {
                  "totalStreams": [{"date": "2025-05-01", "streams": 1}],
                  "totalShazam": [],
                  "tracksTotal": [{"isrc": "QZTB22500001", "streams": 1, "track": "2025-05-20T00:00:00Z", "release": "2025-05-20T07:30:00+02:00"}],
                  "countryTotal": [],
                  "streamTotal": 1
                }
                """;

            // When it is read
            var rows = new AppleMusicJson().Read(Some.Content(AppleName, json)).ToList();

            // Then no string was turned into a date and written back in another form
            var track = rows.Single(r => r.Record == "track");
            Assert.Equal("2025-05-20T00:00:00Z", track.Fields["track"]);
            Assert.Equal("2025-05-20T07:30:00+02:00", track.Fields["release"]);
            Assert.Equal("2025-05-01", rows[0].Fields["date"]);
        }

        [Fact]
        public void Should_Read_A_Byte_Order_Mark_As_Nothing()
        {
            // Given a reply starting with a UTF-8 byte order mark
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"streams": [{"date": "2025-05-01", "streams": "1"}]}""")).ToArray();

            // When it is read
            var row = Assert.Single(new SpotifySeriesJson().Read(Some.Content(SpotifyName, bytes)));

            // Then the first property is found and the row is the day
            Assert.Null(row.Problem);
            Assert.Equal("2025-05-01", row.Fields["date"]);
        }

        [Fact]
        public void Should_Read_A_File_That_Is_Not_Utf8_As_One_Unreadable_Row()
        {
            // Given a reply holding the Latin-1 byte 0xE9
            var bytes = Encoding.Latin1.GetBytes("{\"streams\": [{\"date\": \"2025-05-01\", \"streams\": \"1\", \"by\": \"Beyonc\u00e9\"}]}");

            // When it is read
            var row = Assert.Single(new SpotifySeriesJson().Read(Some.Content(SpotifyName, bytes)));

            // Then the row names the whole file and the encoding
            Assert.Equal("file", row.Locator);
            Assert.Equal("not UTF-8 text; a JSON export is UTF-8", row.Problem);
        }
    }
}

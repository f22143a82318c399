using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.SpotifyForArtists;

public sealed class SongsCsvTests
{
    private const string OneYear = "ZONE A0-songs-1year.csv";
    private const string AllTime = "ZONE A0-songs-all.csv";

    private static List<SourceRow> Read(string fileName, byte[] bytes) => new SongsCsv().Read(Some.Content(fileName, bytes)).ToList();

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Keep_Quoted_Names_Exactly()
        {
            // Given quoted song names with a comma, escaped quotes, an accent and an emoji
            var bytes = Downloads.Fresh(
                Downloads.SongsHeader,
                "\"Hold On, I\",11448,34054,1198,2024-03-15",
                "\"The \"\"Glass\"\" Angel\",32407,85320,2286,2024-07-19",
                "\"S\u00f3lveig \U0001F319\",2546,7232,292,2025-05-20");

            // When it is read
            var rows = Read(OneYear, bytes);

            // Then each name is the text between the quotes, with doubled quotes made single
            Assert.Equal(["Hold On, I", "The \"Glass\" Angel", "S\u00f3lveig \U0001F319"], rows.Select(r => r.Fields["song"]));
            Assert.Equal(["34054", "85320", "7232"], rows.Select(r => r.Fields["streams"]));
        }

        [Fact]
        public void Should_Read_A_Quoted_Name_Over_Two_Lines_As_One_Row()
        {
            // Given a quoted name holding a line break
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Two", "Lines\",1,2,3,2024-03-15", "\"Next\",4,5,6,2024-03-16");

            // When it is read
            var rows = Read(OneYear, bytes);

            // Then the name keeps its line break and the next row has its own line number
            Assert.Equal(2, rows.Count);
            Assert.Equal("Two\nLines", rows[0].Fields["song"]);
            Assert.Equal("Next", rows[1].Fields["song"]);
            Assert.Equal("line 4", rows[1].Locator);
        }

        [Fact]
        public void Should_Take_The_Artist_And_Window_From_The_File_Name()
        {
            // Given a one-year download
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",11448,34054,1198,2024-03-15");

            // When it is read
            var row = Assert.Single(Read(OneYear, bytes));

            // Then the row has the artist and the window of the name
            Assert.Equal("ZONE A0", row.Fields["artist"]);
            Assert.Equal("1year", row.Fields["window"]);
            Assert.Equal("songs", row.Record);
        }

        [Fact]
        public void Should_Read_The_Zeros_Of_The_All_Time_Window_As_Not_Reported()
        {
            // Given the all-time download, with 0 listeners and 0 saves for every song
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",0,43408,0,2024-03-15");

            // When it is read
            var row = Assert.Single(Read(AllTime, bytes));

            // Then listeners and saves have no value, and streams are kept
            Assert.Null(row.Fields["listeners"]);
            Assert.Null(row.Fields["saves"]);
            Assert.Equal("43408", row.Fields["streams"]);
            Assert.Equal("all", row.Fields["window"]);
        }

        [Fact]
        public void Should_Keep_A_Zero_In_The_One_Year_Window()
        {
            // Given a one-year download where a song had no listeners and no saves
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Quiet One\",0,0,0,2024-03-15");

            // When it is read
            var row = Assert.Single(Read(OneYear, bytes));

            // Then the zeros are real zeros
            Assert.Equal("0", row.Fields["listeners"]);
            Assert.Equal("0", row.Fields["saves"]);
        }

        [Fact]
        public void Should_Read_A_Latin1_File_As_Latin1()
        {
            // Given a download Excel re-saved in a legacy code page: no BOM, "ó" as the single byte 0xF3
            var bytes = Encoding.Latin1.GetBytes(Downloads.SongsHeader + "\r\n\"S\u00f3lveig\",2546,7232,292,5/20/2025\r\n");
            Assert.Contains((byte)0xF3, bytes);

            // When it is read
            var row = Assert.Single(Read(OneYear, bytes));

            // Then the name holds "ó"
            Assert.Equal("S\u00f3lveig", row.Fields["song"]);
        }
    }

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_A_Fresh_Download()
        {
            // Given a one-year download with quoted names
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",11448,34054,1198,2024-03-15");

            // When it is validated
            var problems = new SongsCsv().Validate(Some.Content(OneYear, bytes));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Name_The_Facts_A_Name_Without_A_Window_Does_Not_Give()
        {
            // Given a songs download saved as "ZONE A0-songs.csv"
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",11448,34054,1198,2024-03-15");

            // When it is validated
            var problem = Assert.Single(new SongsCsv().Validate(Some.Content("ZONE A0-songs.csv", bytes)));

            // Then the problem is about the file name and names both facts
            Assert.Equal("file name", problem.Where);
            Assert.StartsWith("the artist and window is only in the file name", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_The_Missing_Column()
        {
            // Given a header without release_date
            var bytes = Downloads.Fresh("song,listeners,streams,saves", "\"Hold On, I\",11448,34054,1198");

            // When it is validated
            var problem = Assert.Single(new SongsCsv().Validate(Some.Content(OneYear, bytes)));

            // Then the problem is on the header and names the column
            Assert.Equal("line 1 (header)", problem.Where);
            Assert.StartsWith("missing column(s) release_date;", problem.Problem, StringComparison.Ordinal);
        }
    }

    public sealed class TheConversionToStaging
    {
        [Fact]
        public void Should_Stage_Empty_Listeners_And_Saves_For_The_All_Time_Window()
        {
            // Given a row of the all-time download
            var converter = Some.Converter("spotify", "songs", sourceFile: AllTime);
            var source = Assert.Single(Read(AllTime, Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",0,43408,0,2024-03-15")));

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then listeners and saves are empty, not 0
            Assert.Null(reject);
            Assert.Null(converter.Value(row!, "listeners"));
            Assert.Null(converter.Value(row!, "saves"));
            Assert.Equal(43408L, converter.Value(row!, "streams"));
            Assert.Equal("all", converter.Value(row!, "window"));
        }

        [Fact]
        public void Should_Stage_A_Zero_For_The_One_Year_Window()
        {
            // Given a one-year row with 0 listeners and 0 saves
            var converter = Some.Converter("spotify", "songs", sourceFile: OneYear);
            var source = Assert.Single(Read(OneYear, Downloads.Fresh(Downloads.SongsHeader, "\"Quiet One\",0,12,0,2024-03-15")));

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then they are staged as 0
            Assert.Null(reject);
            Assert.Equal(0L, converter.Value(row!, "listeners"));
            Assert.Equal(0L, converter.Value(row!, "saves"));
        }

        [Fact]
        public void Should_Stage_A_Quoted_Name_And_An_Excel_Release_Date()
        {
            // Given a row whose name has a comma and whose release date is M/D/YYYY
            var converter = Some.Converter("spotify", "songs", sourceFile: OneYear);
            var source = Assert.Single(Read(OneYear, Downloads.WithoutBom("\r\n", Downloads.SongsHeader, "\"Hold On, I\",11448,34054,1198,3/15/2024")));

            // When it is converted
            var (row, reject) = converter.Convert(source);

            // Then the name is kept with a key and the date is the 15th of March 2024
            Assert.Null(reject);
            Assert.Equal("Hold On, I", converter.Value(row!, "track_name"));
            Assert.Equal("hold on i", converter.Value(row!, "track_key"));
            Assert.Equal("ZONE A0", converter.Value(row!, "artist_name"));
            Assert.Equal(new DateOnly(2024, 3, 15), converter.Value(row!, "release_date"));
        }
    }

    public sealed class TheRecognizer
    {
        [Theory]
        [InlineData(OneYear)]
        [InlineData(AllTime)]
        [InlineData("songs (3).csv")]
        public void Should_Recognise_A_Songs_Download(string fileName)
        {
            // Given a songs download under its names or another one
            var bytes = Downloads.Fresh(Downloads.SongsHeader, "\"Hold On, I\",11448,34054,1198,2024-03-15");

            // When it is recognised
            var kind = new Recognizer(PlatformCatalog.Kinds).Recognize(fileName, bytes);

            // Then it is the songs kind
            Assert.IsType<SongsCsv>(kind);
        }
    }
}

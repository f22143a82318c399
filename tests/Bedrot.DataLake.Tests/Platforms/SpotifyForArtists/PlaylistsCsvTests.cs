using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.SpotifyForArtists;

public sealed class PlaylistsCsvTests
{
    private const string FileName = "ZONE A0-playlists-1year.csv";

    private static readonly byte[] Download = Downloads.Fresh(
        Downloads.PlaylistsHeader,
        "\"Discover Weekly\",-,1313,2631,",
        "\"Late Night, Vol. 2\",nightowl,10,20,5/7/2025");

    private static List<SourceRow> Read(byte[] bytes) => new PlaylistsCsv().Read(Some.Content(FileName, bytes)).ToList();

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Read_Spotify_Playlists_As_Written()
        {
            // Given Spotify's own playlist, author "-" and no date added
            // When the download is read
            var row = Read(Download)[0];

            // Then the reader keeps the cells as they are
            Assert.Equal("Discover Weekly", row.Fields["title"]);
            Assert.Equal("-", row.Fields["author"]);
            Assert.Equal(string.Empty, row.Fields["date_added"]);
        }

        [Fact]
        public void Should_Take_The_Artist_And_Window_From_The_File_Name()
        {
            // Given a one-year playlists download
            // When it is read
            var rows = Read(Download);

            // Then every row carries the artist and the window
            Assert.All(rows, row => Assert.Equal("ZONE A0", row.Fields["artist"]));
            Assert.All(rows, row => Assert.Equal("1year", row.Fields["window"]));
            Assert.All(rows, row => Assert.Equal("playlists", row.Record));
        }
    }

    public sealed class TheConversionToStaging
    {
        private readonly RowConverter _converter = Some.Converter("spotify", "playlists", sourceFile: FileName);

        private object?[] Converted(SourceRow source)
        {
            var (row, reject) = _converter.Convert(source);
            Assert.Null(reject);
            return row!;
        }

        [Fact]
        public void Should_Stage_The_Dash_Author_As_Empty()
        {
            // Given Spotify's own playlist, author "-"
            // When it is converted
            var row = Converted(Read(Download)[0]);

            // Then the author and the date added are empty
            Assert.Null(_converter.Value(row, "playlist_author"));
            Assert.Null(_converter.Value(row, "date_added"));
            Assert.Equal("Discover Weekly", _converter.Value(row, "playlist_title"));
            Assert.Equal(1313L, _converter.Value(row, "listeners"));
            Assert.Equal(2631L, _converter.Value(row, "streams"));
        }

        [Fact]
        public void Should_Stage_A_Listener_Playlist_With_Its_Author_And_Date()
        {
            // Given a listener's playlist with a comma in its title and an M/D/YYYY date
            // When it is converted
            var row = Converted(Read(Download)[1]);

            // Then its title, author and date are staged
            Assert.Equal("Late Night, Vol. 2", _converter.Value(row, "playlist_title"));
            Assert.Equal("nightowl", _converter.Value(row, "playlist_author"));
            Assert.Equal(new DateOnly(2025, 5, 7), _converter.Value(row, "date_added"));
            Assert.Equal("1year", _converter.Value(row, "window"));
            Assert.Equal("zone a0", _converter.Value(row, "artist_key"));
        }
    }

    public sealed class TheValidateMethod
    {
        [Fact]
        public void Should_Accept_A_Fresh_Download()
        {
            // Given a playlists download
            // When it is validated
            var problems = new PlaylistsCsv().Validate(Some.Content(FileName, Download));

            // Then there is nothing to report
            Assert.Empty(problems);
        }

        [Fact]
        public void Should_Be_Recognised_By_Name_And_Content()
        {
            // Given a playlists download
            // When it is recognised
            var kind = new Recognizer(PlatformCatalog.Kinds).Recognize(FileName, Download);

            // Then it is the playlists kind
            Assert.IsType<PlaylistsCsv>(kind);
        }
    }
}

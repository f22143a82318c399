using System.Text;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Raw;

public sealed class RecognizerTests
{
    /// <summary>A kind that matches a fixed name and a fixed content marker.</summary>
    private sealed class FakeKind(string datatype, string name, string marker) : RawFileKind
    {
        public override string Platform => "fake";
        public override string Datatype => datatype;
        public override string Version => "1";
        public override bool MatchesName(string fileName) => fileName == name;
        public override bool MatchesContent(ReadOnlySpan<byte> head) => Encoding.ASCII.GetString(head).Contains(marker, StringComparison.Ordinal);
        public override IReadOnlyList<RawProblem> Validate(RawContent content) => [];
        public override IEnumerable<SourceRow> Read(RawContent content) => [];
    }

    public sealed class TheRecognizeMethod
    {
        private static readonly FakeKind Alpha = new("alpha", "alpha.txt", "ALPHA");
        private static readonly FakeKind Beta = new("beta", "beta.txt", "BETA");

        private static RawFileKind? Recognize(string name, string content, params RawFileKind[] kinds) =>
            new Recognizer(kinds).Recognize(name, Encoding.ASCII.GetBytes(content));

        [Fact]
        public void Should_Prefer_A_Kind_Matching_Name_And_Content_To_One_Matching_The_Name_Only()
        {
            // Given a file named like alpha whose content is beta's, where beta also claims the name
            var beta = new FakeKind("beta", "alpha.txt", "BETA");

            // When it is recognised, alpha listed first
            var kind = Recognize("alpha.txt", "BETA data", Alpha, beta);

            // Then the kind matching both wins
            Assert.Same(beta, kind);
        }

        [Fact]
        public void Should_Prefer_The_Name_To_The_Content_Alone()
        {
            // Given a file named like beta whose content is alpha's
            // When it is recognised
            var kind = Recognize("beta.txt", "ALPHA data", Alpha, Beta);

            // Then the name decides, so beta's validator can say what is wrong inside
            Assert.Same(Beta, kind);
        }

        [Fact]
        public void Should_Fall_Back_To_The_Content_Alone()
        {
            // Given an export saved under another name
            // When it is recognised
            var kind = Recognize("download (1).txt", "BETA data", Alpha, Beta);

            // Then its content decides
            Assert.Same(Beta, kind);
        }

        [Fact]
        public void Should_Recognise_Nothing_When_Neither_Matches()
        {
            // Given an unrelated file
            // When it is recognised
            var kind = Recognize("notes.txt", "hello", Alpha, Beta);

            // Then there is no kind
            Assert.Null(kind);
        }

        [Fact]
        public void Should_Look_At_The_Head_Of_The_Content_Only()
        {
            // Given a marker placed after the first 64 KiB
            var content = new string(' ', Recognizer.HeadLength) + "BETA";

            // When it is recognised
            var kind = Recognize("download.txt", content, Alpha, Beta);

            // Then it is not seen
            Assert.Null(kind);
        }
    }

    public sealed class WithThePlatformCatalog
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        [Fact]
        public void Should_Recognise_A_Bank_Export_Saved_Under_Another_Name()
        {
            // Given a bank export renamed by a browser
            var bytes = new BankExport().WithRow().Bytes();

            // When it is recognised
            var kind = _recognizer.Recognize("export (3).tsv", bytes);

            // Then its header identifies it
            Assert.IsType<BankDetailsTsv>(kind);
        }

        [Fact]
        public void Should_Recognise_A_Broken_Page_By_Its_Name()
        {
            // Given a "session expired" page saved under a streams page's name
            var bytes = Encoding.UTF8.GetBytes("<html><body>Session expired, please sign in</body></html>");

            // When it is recognised
            var kind = _recognizer.Recognize("streams_stats_20250610_120000.html", bytes);

            // Then it is a streams page, for its validator to quarantine
            Assert.IsType<StreamsStatsPage>(kind);
        }

        [Fact]
        public void Should_Recognise_Nothing_In_An_Unknown_File()
        {
            // Given a file no platform knows
            // When it is recognised
            var kind = _recognizer.Recognize("notes.txt", Encoding.UTF8.GetBytes("hello"));

            // Then there is no kind
            Assert.Null(kind);
        }
    }
}

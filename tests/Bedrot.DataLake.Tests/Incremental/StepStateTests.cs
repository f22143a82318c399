using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

public sealed class StepStateTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private string StatePath => _folder.File(".bedrot/state/stage-platform.json");

    /// <summary>A state as the earlier serialiser wrote it: indented, one property per line.</summary>
    private const string EarlierFormat = """
        {
          "Version": 1,
          "Items": {
            "raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv": {
              "Fingerprint": "f1",
              "Parts": {
                "input:raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv": "in-1",
                "step": "stage-platform/2"
              },
              "Outputs": {
                "staging/distrokid/sales/distrokid_sales_staging_20250601_093015.csv": "out-1"
              },
              "Retained": {},
              "Counts": {
                "rows_in": 3,
                "rows_out": 2
              },
              "Facts": {
                "platform": "distrokid",
                "raw_totals": "[[\"streaming_unified\",\"distrokid_bank\",\"2025-04\",\"streams\",\"400\",\"0\"]]"
              }
            }
          }
        }

        """;

    private static ItemState Item(string fingerprint, string output) => new()
    {
        Fingerprint = fingerprint,
        Parts = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["input:raw/a.tsv"] = "in", ["step"] = "stage-platform/2" },
        Outputs = new SortedDictionary<string, string>(StringComparer.Ordinal) { [output] = "sha-" + fingerprint },
        Retained = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["raw/a.tsv"] = "raw-sha" },
        Counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["rows_in"] = 12, ["rows_out"] = long.MaxValue },
        Facts = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["platform"] = "distrokid",
            ["reasons"] = "line 3: \"value\" is not a number\nline 4: tab\there",
            ["artist"] = "Sigur Rós 🎵",
        },
    };

    [Fact]
    public void Should_Read_Back_Every_Section_It_Wrote()
    {
        // Given a state with two items, one under a key with non-ASCII text
        var state = new StepState();
        state.Items["spotify/Sigur Rós-songs-all.csv"] = Item("f1", "staging/a.csv");
        state.Items["distrokid/dk_bank_details_20250601_093015.tsv"] = Item("f2", "staging/b.csv");

        // When it is saved and read again
        state.Save(StatePath);
        var read = StepState.Load(StatePath);

        // Then every item and every section is as it was
        Assert.Equal(state.Items.Keys, read.Items.Keys);
        foreach (var (key, item) in state.Items)
        {
            var back = read.Items[key];
            Assert.Equal(item.Fingerprint, back.Fingerprint);
            Assert.Equal(item.Parts, back.Parts);
            Assert.Equal(item.Outputs, back.Outputs);
            Assert.Equal(item.Retained, back.Retained);
            Assert.Equal(item.Counts, back.Counts);
            Assert.Equal(item.Facts, back.Facts);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Should_Pick_Facts_And_Hash_A_Fact_As_The_Whole_Facts_Have_Them(bool earlierFormat)
    {
        // Given a saved state whose facts hold escaped and non-ASCII text (or one the earlier serialiser wrote)
        var state = new StepState();
        state.Items["a"] = Item("f1", "staging/a.csv");
        state.Items["a"].Facts["raw_totals"] = "[[\"streaming_unified\",\"Sigur Rós\",\"2025-04\",\"streams\",\"400\",\"0\"]]";
        if (earlierFormat)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
            File.WriteAllText(StatePath, EarlierFormat);
        }
        else
        {
            state.Save(StatePath);
        }

        // When some facts are picked from the item as read, before and after its facts are asked for
        var item = StepState.Load(StatePath).Items.Values.First();
        string[] names = ["reasons", "missing", "platform", "artist"];
        var picked = new string?[names.Length];
        var hash = item.PickFacts(names, picked, "raw_totals");
        var whole = item.Facts;
        var again = new string?[names.Length];
        var hashAgain = item.PickFacts(names, again, "raw_totals");

        // Then they are the facts' values (null where absent), and the hash is that of the fact's text, either way
        Assert.Equal(names.Select(n => whole.GetValueOrDefault(n)), picked);
        Assert.Equal(picked, again);
        Assert.Equal(Hashing.Of(whole["raw_totals"]), hash);
        Assert.Equal(hash, hashAgain);
        Assert.Equal(Hashing.Of(string.Empty), item.PickFacts(names, again, "no_such_fact"));
    }

    [Fact]
    public void Should_Sum_Counters_And_Find_Outputs_From_The_Kept_Text_As_From_The_Sections()
    {
        // Given a saved state of two items whose counters overlap, read again
        var state = new StepState();
        state.Items["a"] = Item("f1", "staging/a.csv");
        state.Items["b"] = Item("f2", "staging/b.csv") with
        {
            Counts = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["checked.consistency"] = 4, ["rows_in"] = 3 },
        };
        state.Save(StatePath);
        var read = StepState.Load(StatePath);

        // When their counters are summed and their outputs looked up without asking for the sections
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in read.Items.Values)
        {
            item.AddCountsTo(totals);
        }

        var paths = read.Items.Values.SelectMany(i => i.OutputPaths).ToList();
        var hash = read.Items["b"].OutputHash("staging/b.csv");
        var missing = read.Items["b"].OutputHash("staging/a.csv");

        // Then the sums, the names' order (where each first appears) and the outputs are those of the
        // sections, and the sections were not built to find them (the items are still as read)
        Assert.Equal([KeyValuePair.Create("rows_in", 15L), KeyValuePair.Create("rows_out", long.MaxValue), KeyValuePair.Create("checked.consistency", 4L)], totals);
        Assert.Equal(["staging/a.csv", "staging/b.csv"], paths);
        Assert.Equal("sha-f2", hash);
        Assert.Null(missing);
        Assert.All(read.Items.Values, item => Assert.NotNull(item.Unread.Buffer));
        var fromSections = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in read.Items.Values)
        {
            Assert.NotEmpty(item.Counts);
            item.AddCountsTo(fromSections);
        }

        Assert.Equal(totals, fromSections);
    }

    [Fact]
    public void Should_Sum_Counters_Written_Out_Of_Order_In_Name_Order()
    {
        // Given a state whose item lists its counters out of name order (as a person might write it)
        _folder.Write(".bedrot/state/stage-platform.json",
            """{"Version":1,"Items":{"a":{"Fingerprint":"f","Parts":{},"Counts":{"rows_out":2,"rows_in":3}}}}""");

        // When its counters are summed from the kept text
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        Assert.Single(StepState.Load(StatePath).Items).Value.AddCountsTo(totals);

        // Then they are added in name order, as the item's counters list them
        Assert.Equal([KeyValuePair.Create("rows_in", 3L), KeyValuePair.Create("rows_out", 2L)], totals);
    }

    [Fact]
    public void Should_Write_A_Read_State_Back_Byte_For_Byte_Whether_Or_Not_Its_Sections_Were_Asked_For()
    {
        // Given a saved state
        var state = new StepState();
        state.Items["a"] = Item("f1", "staging/a.csv");
        state.Items["b"] = Item("f2", "staging/b.csv");
        state.Save(StatePath);
        var written = File.ReadAllBytes(StatePath);

        // When it is read and saved untouched, and read, fully looked at, and saved again
        StepState.Load(StatePath).Save(StatePath);
        var untouched = File.ReadAllBytes(StatePath);
        var looked = StepState.Load(StatePath);
        Assert.All(looked.Items.Values, item => Assert.NotEmpty(item.Parts.Concat(item.Retained)));
        Assert.All(looked.Items.Values, item => Assert.NotEmpty(item.Counts));
        looked.Save(StatePath);

        // Then the file is the same each time
        Assert.Equal(written, untouched);
        Assert.Equal(written, File.ReadAllBytes(StatePath));
    }

    [Fact]
    public void Should_Write_A_Read_State_With_Some_Items_Changed_As_A_State_Made_Afresh_Is_Written()
    {
        // Given a saved state of thousands of items (lines copied as read run past the writer's buffer),
        // one with a key of characters a writer escapes, and one line edited by hand with a space after its colon
        var state = new StepState();
        for (var i = 0; i < 3000; i++)
        {
            state.Items[$"raw/{i:D5}.tsv"] = Item("f" + i, $"staging/{i:D5}.csv");
        }

        state.Items["raw/Sigur Rós \"live\".tsv"] = Item("f-ros", "staging/ros.csv");
        state.Save(StatePath);
        File.WriteAllText(StatePath, File.ReadAllText(StatePath).Replace("\"raw/00100.tsv\":{", "\"raw/00100.tsv\": {", StringComparison.Ordinal));
        var read = StepState.Load(StatePath);
        Assert.Equal(3001, read.Items.Count);

        // When one item is run again, one added, one removed, one looked at, and the state saved
        read.Items["raw/01500.tsv"] = Item("f-again", "staging/01500.csv");
        read.Items["raw/00000-new.tsv"] = Item("f-new", "staging/new.csv");
        read.Items.Remove("raw/02000.tsv");
        Assert.NotEmpty(read.Items["raw/02500.tsv"].Facts);
        read.Save(StatePath);

        // Then the file is what a state of the same items, each made afresh, writes
        var fresh = new StepState();
        foreach (var (key, item) in read.Items)
        {
            fresh.Items[key] = new ItemState
            {
                Fingerprint = item.Fingerprint,
                Parts = item.Parts,
                Outputs = item.Outputs,
                Retained = item.Retained,
                Counts = item.Counts,
                Facts = item.Facts,
            };
        }

        var afresh = _folder.File("afresh.json");
        fresh.Save(afresh);
        Assert.Equal(File.ReadAllText(afresh), File.ReadAllText(StatePath));
    }

    [Fact]
    public void Should_Write_A_Read_Item_Copied_With_Another_Fingerprint_With_That_Fingerprint()
    {
        // Given a saved state, read again
        var state = new StepState();
        state.Items["a"] = Item("f1", "staging/a.csv");
        state.Save(StatePath);
        var read = StepState.Load(StatePath);

        // When its item is replaced by a copy with another fingerprint, and the state saved and read
        read.Items["a"] = read.Items["a"] with { Fingerprint = "f2" };
        read.Save(StatePath);

        // Then the copy's fingerprint was written, with the item's other sections
        var item = StepState.Load(StatePath).Items["a"];
        Assert.Equal("f2", item.Fingerprint);
        Assert.Equal("sha-f1", item.Outputs["staging/a.csv"]);
    }

    [Fact]
    public void Should_Read_A_State_Written_By_The_Earlier_Serialiser()
    {
        // Given a state file in the earlier, indented layout
        _folder.Write(".bedrot/state/stage-platform.json", EarlierFormat);

        // When it is read
        var item = Assert.Single(StepState.Load(StatePath).Items).Value;

        // Then every section is read as written
        Assert.Equal("f1", item.Fingerprint);
        Assert.Equal("stage-platform/2", item.Parts["step"]);
        Assert.Equal("out-1", item.Outputs["staging/distrokid/sales/distrokid_sales_staging_20250601_093015.csv"]);
        Assert.Empty(item.Retained);
        Assert.Equal(2, item.Counts["rows_out"]);
        Assert.Equal("""[["streaming_unified","distrokid_bank","2025-04","streams","400","0"]]""", item.Facts["raw_totals"]);
    }

    [Fact]
    public void Should_Rewrite_A_State_Of_The_Earlier_Layout_One_Item_Per_Line()
    {
        // Given a state file in the earlier, indented layout
        _folder.Write(".bedrot/state/stage-platform.json", EarlierFormat);

        // When it is read and saved without its sections being asked for
        StepState.Load(StatePath).Save(StatePath);

        // Then the item is on one line, and reads back the same
        var lines = File.ReadAllLines(StatePath);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("\"raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv\":{\"Fingerprint\":\"f1\"", lines[1], StringComparison.Ordinal);
        Assert.Equal(2, StepState.Load(StatePath).Items.Single().Value.Counts["rows_out"]);
    }

    [Theory]
    [InlineData("{ not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{}")]
    [InlineData("{\"Version\":2,\"Items\":{}}")]
    [InlineData("{\"Items\":{}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Parts\":{}}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\"}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{\"step\":3}}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{},\"Counts\":{\"rows_in\":\"many\"}}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{},\"Counts\":{\"rows_in\":1.5}}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{},\"Retained\":[]}}}")]
    [InlineData("{\"Version\":1,\"Items\":{\"a\":{\"Fingerprint\":\"f\",\"Parts\":{},\"Facts\":{\"x\":{}}}}}")]
    [InlineData("{\"Version\":1,\"Items\":[]}")]
    public void Should_Start_Empty_Rather_Than_Fail_Or_Guess_When_The_State_Is_Damaged_Or_Of_Another_Version(string text)
    {
        // Given a state file that is damaged, or of a layout this code does not know
        _folder.Write(".bedrot/state/stage-platform.json", text);

        // When it is read
        var state = StepState.Load(StatePath);

        // Then it holds no item (so every item runs as new), and nothing was thrown
        Assert.Empty(state.Items);
    }

    [Fact]
    public void Should_Digest_The_Items_Keys_And_Fingerprints_As_A_Run_Of_The_Same_Items_Does()
    {
        // Given a recorded state of two items
        var state = new StepState();
        state.Items["b"] = Item("f2", "staging/b.csv");
        state.Items["a"] = Item("f1", "staging/a.csv");

        // When its digest is compared with that of a run's items, in any order
        var same = StepState.DigestOf([("a", "f1"), ("b", "f2")]);
        var reordered = StepState.DigestOf([("b", "f2"), ("a", "f1")]);
        var changed = StepState.DigestOf([("a", "f1"), ("b", "f3")]);
        var renamed = StepState.DigestOf([("a", "f1"), ("c", "f2")]);

        // Then only the same keys with the same fingerprints give the same digest
        Assert.Equal(state.Digest(), same);
        Assert.Equal(state.Digest(), reordered);
        Assert.NotEqual(state.Digest(), changed);
        Assert.NotEqual(state.Digest(), renamed);
    }
}

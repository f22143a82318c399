using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>The digests of items' inputs a summary records, as read back from its file and as carried from the summary before.</summary>
public sealed class StepSummaryTests : IDisposable
{
    private readonly TempDirectory _folder = new();

    public void Dispose() => _folder.Dispose();

    private static ItemState Item(params (string Name, string Value)[] parts) => new()
    {
        Fingerprint = "f",
        Parts = new SortedDictionary<string, string>(parts.ToDictionary(p => p.Name, p => p.Value), StringComparer.Ordinal),
    };

    [Fact]
    public void Should_Record_The_Digest_Of_Each_Items_Inputs_Only_And_Read_It_Back()
    {
        // Given a state of a file item, a folder item of two files, and an item with no input
        var state = new StepState();
        state.Items["b.csv"] = Item(("input:b.csv", "hash-b"), ("step", "v1"));
        state.Items["dump/"] = Item(("input:dump/2.json", "hash-2"), ("input:dump/1.json", "hash-1"), ("code:x", "1"));
        state.Items["totals"] = Item(("step", "v1"));

        // When its summary with inputs is saved and read back
        var path = _folder.File("demo.summary.json");
        StepSummary.Of(state, "state-hash", "digest", plan: null, prefix: "context", new InputsFrom(null, new HashSet<string>())).Save(path);
        var read = StepSummary.Load(path)!;

        // Then each item has the digest of its inputs in name order, whatever its other parts; none for an unknown key
        Assert.Equal(ItemState.InputsDigest([KeyValuePair.Create("input:b.csv", "hash-b")]), read.InputOf("b.csv"));
        Assert.Equal(
            ItemState.InputsDigest([KeyValuePair.Create("input:dump/1.json", "hash-1"), KeyValuePair.Create("input:dump/2.json", "hash-2")]),
            read.InputOf("dump/"));
        Assert.Equal(ItemState.InputsDigest([]), read.InputOf("totals"));
        Assert.Null(read.InputOf("c.csv"));
        Assert.Equal("context", read.Prefix);
    }

    [Fact]
    public void Should_Carry_The_Digests_Of_Items_That_Did_Not_Run_And_Make_Those_Of_Items_That_Did()
    {
        // Given a summary with inputs, and then one of its two items run again with a new input
        var state = new StepState();
        state.Items["a.csv"] = Item(("input:a.csv", "hash-a"));
        state.Items["b.csv"] = Item(("input:b.csv", "hash-b"));
        var before = StepSummary.Of(state, "state-1", "digest-1", plan: null, inputs: new InputsFrom(null, new HashSet<string>()));
        state.Items["b.csv"] = Item(("input:b.csv", "hash-b2"));

        // When the next summary is made from the one before, with b named as run
        var after = StepSummary.Of(state, "state-2", "digest-2", plan: null, inputs: new InputsFrom(before, new HashSet<string> { "b.csv" }));

        // Then a keeps its digest, and b has the digest of its new input
        Assert.Equal(before.InputOf("a.csv"), after.InputOf("a.csv"));
        Assert.Equal(ItemState.InputsDigest([KeyValuePair.Create("input:b.csv", "hash-b2")]), after.InputOf("b.csv"));
        Assert.NotEqual(before.InputOf("b.csv"), after.InputOf("b.csv"));
    }

    [Fact]
    public void Should_Ignore_Digests_That_Do_Not_Line_Up_With_The_Keys()
    {
        // Given a summary with inputs for two items, saved and then cut to one digest
        var state = new StepState();
        state.Items["a.csv"] = Item(("input:a.csv", "hash-a"));
        state.Items["b.csv"] = Item(("input:b.csv", "hash-b"));
        var path = _folder.File("demo.summary.json");
        StepSummary.Of(state, "state-hash", "digest", plan: null, inputs: new InputsFrom(null, new HashSet<string>())).Save(path);
        var text = File.ReadAllText(path);
        var digestOfB = ItemState.InputsDigest([KeyValuePair.Create("input:b.csv", "hash-b")]);
        File.WriteAllText(path, text.Replace($",\n\"{digestOfB}\"", string.Empty, StringComparison.Ordinal));
        Assert.NotEqual(text, File.ReadAllText(path));

        // When it is read back
        var read = StepSummary.Load(path)!;

        // Then it has no digests to plan from (the step is planned in full), and its keys are as written
        Assert.Null(read.Inputs);
        Assert.Null(read.InputOf("a.csv"));
        Assert.Equal(["a.csv", "b.csv"], read.Keys);
    }
}

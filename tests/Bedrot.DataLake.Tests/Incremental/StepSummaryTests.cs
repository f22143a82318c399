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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Should_Extend_A_Summary_To_What_It_Would_Be_Made_Of_Every_Item(int seed)
    {
        var random = new Random(seed);
        var extended = 0;
        for (var round = 0; round < 40; round++)
        {
            // Given a state as read from its file, with its summary as read from its file
            var state = new StepState();
            for (var i = 0; i < random.Next(1, 30); i++)
            {
                state.Items[$"item-{random.Next(100):D3}"] = RandomItem(random);
            }

            var statePath = _folder.File($"state-{seed}-{round}.json");
            var summaryPath = StepSummary.PathOf(statePath);
            state.Save(statePath);
            StepSummary.Of(state, "hash-1", "digest-1", plan: null, inputs: new InputsFrom(null, new HashSet<string>())).Save(summaryPath);
            var read = StepState.Load(statePath);
            var before = StepSummary.Load(summaryPath)!;

            // When some items run again (keeping, changing or dropping files) and some new ones are recorded
            var ran = new Dictionary<string, ItemState?>(StringComparer.Ordinal);
            foreach (var key in read.Items.Keys.Where(_ => random.Next(4) == 0).ToList())
            {
                ran[key] = read.Items[key];
                read.Items[key] = Rerun(random, read.Items[key]);
            }

            for (var i = 0; i < random.Next(3); i++)
            {
                var key = $"new-{random.Next(100):D3}";
                if (!read.Items.ContainsKey(key))
                {
                    ran[key] = null;
                    read.Items[key] = RandomItem(random);
                }
            }

            // Then the summary made from the one before, when it can be, is byte for byte the one made from every item
            var inputs = new InputsFrom(before, ran.Keys.ToHashSet(StringComparer.Ordinal));
            var full = StepSummary.Of(read, "hash-2", "digest-2", "plan", "prefix", inputs);
            if (StepSummary.Extend(before, read, ran, "hash-2", "digest-2", "plan", "prefix", inputs: true) is not { } quick)
            {
                continue;
            }

            extended++;
            full.Save(summaryPath + ".full");
            quick.Save(summaryPath + ".quick");
            Assert.Equal(File.ReadAllText(summaryPath + ".full"), File.ReadAllText(summaryPath + ".quick"));
        }

        // And it can be in most rounds: new items, and items that keep or drop their own files
        Assert.True(extended >= 20, $"extended in {extended} of 40 rounds");
    }

    [Fact]
    public void Should_Not_Extend_When_A_File_Dropped_By_An_Item_That_Ran_Is_Recorded_By_Another()
    {
        // Given two items recording the same file, read back from their state's file
        var state = new StepState();
        state.Items["a"] = Item(("input:a", "1")) with { Retained = Files(("raw/shared.csv", Hash('s'))) };
        state.Items["b"] = Item(("input:b", "1")) with { Retained = Files(("raw/shared.csv", Hash('s')), ("raw/b.csv", Hash('b'))) };
        var path = _folder.File("shared.json");
        state.Save(path);
        var before = StepSummary.Of(state, "hash-1", "digest-1", plan: null);
        var read = StepState.Load(path);

        // When one of them runs again and no longer records it
        var ran = new Dictionary<string, ItemState?>(StringComparer.Ordinal) { ["b"] = read.Items["b"] };
        read.Items["b"] = Item(("input:b", "2")) with { Retained = Files(("raw/b.csv", Hash('b'))) };

        // Then the summary is not extended (the other item still records the file), and made in full it keeps the file
        Assert.Null(StepSummary.Extend(before, read, ran, "hash-2", "digest-2", null, null, inputs: false));
        Assert.Contains("raw/shared.csv", StepSummary.Of(read, "hash-2", "digest-2", plan: null).Files);
    }

    private static string Hash(char digit) => new(digit, 64);

    private static SortedDictionary<string, string> Files(params (string Path, string Sha)[] files) =>
        new(files.ToDictionary(f => f.Path, f => f.Sha), StringComparer.Ordinal);

    /// <summary>An item with a few files from a small pool of paths and hashes, so items share files, agree on some and disagree on others.</summary>
    private static ItemState RandomItem(Random random)
    {
        SortedDictionary<string, string> Some() => new(
            Enumerable.Range(0, random.Next(3)).Select(_ => (Path: $"out/{random.Next(40):D2}.csv", Sha: RandomHash(random)))
                .DistinctBy(f => f.Path).ToDictionary(f => f.Path, f => f.Sha),
            StringComparer.Ordinal);
        return Item(("input:" + random.Next(1000), RandomHash(random))) with { Outputs = Some(), Retained = Some() };
    }

    /// <summary>Mostly a lake hash (of three), now and then a text the lake does not write.</summary>
    private static string RandomHash(Random random) => random.Next(20) == 0 ? "NOT-A-HASH" : Hash("abc"[random.Next(3)]);

    /// <summary>The item run again: it keeps its files, adds one, drops one, or records one with another hash.</summary>
    private static ItemState Rerun(Random random, ItemState previous)
    {
        var outputs = new SortedDictionary<string, string>(previous.Outputs, StringComparer.Ordinal);
        var retained = new SortedDictionary<string, string>(previous.Retained, StringComparer.Ordinal);
        switch (random.Next(4))
        {
            case 0:
                retained[$"out/{random.Next(40):D2}.csv"] = RandomHash(random);
                break;
            case 1 when retained.Count > 0:
                retained.Remove(retained.Keys.First());
                break;
            case 2 when outputs.Count > 0:
                outputs[outputs.Keys.Last()] = RandomHash(random);
                break;
        }

        return Item(("input:" + random.Next(1000), RandomHash(random))) with { Outputs = outputs, Retained = retained };
    }
}

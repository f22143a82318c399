using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Bedrot.DataLake.Unify;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Bedrot.DataLake.Tests.Unify;

/// <summary>
/// Unify builds from its last build, reading only the staging files that changed; whatever changed,
/// what it writes is byte for byte what a build from every staging file writes. How many staging
/// files a build read is taken from its log (it is not a count of the item: a rerun after an
/// interruption reads fewer, and the lake must not differ).
/// </summary>
public sealed class IncrementalUnifyTests : IDisposable
{
    private const string OldReply = "staging/toolost/spotify/toolost_spotify_staging_20250601_091500.csv";
    private const string NewestReply = "staging/toolost/spotify/toolost_spotify_staging_20250612_080000.csv";
    private const string NewestBank = "staging/distrokid/sales/distrokid_sales_staging_20250801_101500.csv";

    private readonly TempLake _lake = new("distrokid", "toolost", "spotify");

    public IncrementalUnifyTests() => _lake.Run();

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Read_Only_The_New_File_And_Write_What_A_Full_Build_Writes_When_A_Newer_Snapshot_Lands()
    {
        // Given a built lake, when a TooLost reply newer than every other lands, revising a day and adding one
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250620_080000.json"),
            """{"streams": [{"date": "2025-06-12", "streams": "1290"}, {"date": "2025-06-13", "streams": "1400"}]}""");
        var log = new Logged();
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), log.Logger()))
        {
            pipeline.ValidateRaw();
            pipeline.StagePlatform();
            pipeline.Unify();
        }

        // Then unify read that one staging file, and wrote what a build from every file writes
        Assert.Equal(1, log.StagingFilesRead());
        AssertSameAsFullBuild();
        Assert.Equal("1290", _lake.UnifiedDays("toolost", "spotify")["2025-06-12"]["streams"]);
    }

    [Fact]
    public void Should_Write_What_A_Full_Build_Writes_When_An_Older_Snapshot_Lands()
    {
        // Given a built lake, when a TooLost reply lands that is older than the newest ones: one of its
        // days no other reply has, the others newer replies hold too
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250605_070000.json"),
            """{"streams": [{"date": "2025-04-20", "streams": "700"}, {"date": "2025-05-20", "streams": "9999"}]}""");
        _lake.Run();

        // Then the output is a full build's: the day only it has is taken, the day newer replies have is not
        AssertSameAsFullBuild();
        var days = _lake.UnifiedDays("toolost", "spotify");
        Assert.Equal("700", days["2025-04-20"]["streams"]);
        Assert.NotEqual("9999", days["2025-05-20"]["streams"]);
    }

    [Fact]
    public void Should_Rewrite_Only_The_Lineage_And_Match_A_Full_Build_When_An_Older_Snapshot_Wins_Nothing()
    {
        // Given a built lake
        var before = _lake.Snapshot("staging/cross_platform");

        // When a TooLost reply lands whose every day newer replies hold
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250605_070000.json"),
            """{"streams": [{"date": "2025-05-20", "streams": "9999"}]}""");
        _lake.Run();

        // Then only the lineage totals changed (the reply's streams are staged and removed by the
        // newer snapshots), and everything equals a full build
        var after = _lake.Snapshot("staging/cross_platform");
        Assert.Equal(before.Keys, after.Keys);
        var changed = after.Where(f => !f.Value.AsSpan().SequenceEqual(before[f.Key])).Select(f => f.Key).ToList();
        Assert.Contains("_lineage_totals_", Assert.Single(changed), StringComparison.Ordinal);
        AssertSameAsFullBuild();
    }

    [Fact]
    public void Should_Take_The_Last_Merge_As_On_Disk_By_The_Stat_Cache_When_An_Older_Snapshot_Wins_Nothing()
    {
        // Given a built lake whose unified streams file was changed in place since, keeping its size and time
        var output = UnifiedStreamsFile();
        var written = File.GetLastWriteTimeUtc(output);
        var changed = File.ReadAllBytes(output);
        var digit = Array.FindLastIndex(changed, b => b is >= (byte)'1' and <= (byte)'8');
        changed[digit]++;
        File.WriteAllBytes(output, changed);
        File.SetLastWriteTimeUtc(output, written);

        // When a TooLost reply lands whose every day newer replies hold
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250605_070000.json"),
            """{"streams": [{"date": "2025-05-20", "streams": "9999"}]}""");
        _lake.Run();

        // Then the file is taken as the last merge wrote it on the stat cache's word (size and time), as
        // every other output is, instead of being read and hashed again: it is left as it is
        Assert.Equal(changed, File.ReadAllBytes(output));
    }

    [Fact]
    public void Should_Write_The_Unified_File_Again_When_It_Changed_On_Disk_And_An_Older_Snapshot_Wins_Nothing()
    {
        // Given a built lake whose unified streams file lost its last line
        var output = UnifiedStreamsFile();
        var lines = File.ReadAllLines(output);
        File.WriteAllLines(output, lines[..^1]);

        // When a TooLost reply lands whose every day newer replies hold
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250605_070000.json"),
            """{"streams": [{"date": "2025-05-20", "streams": "9999"}]}""");
        _lake.Run();

        // Then the last merge is not taken as on disk: the file is written again, as a full build writes it
        Assert.Equal(lines.Length, File.ReadAllLines(output).Length);
        AssertSameAsFullBuild();
    }

    [Fact]
    public void Should_Write_What_A_Full_Build_Writes_When_An_Old_Snapshot_Is_Restaged_With_Other_Values()
    {
        // Given a built lake, when the oldest TooLost reply's staging file is rewritten: a day it alone
        // has and a day a newer reply also has get new values
        RestageWith(OldReply, 4, text => text
            .Replace("2025-05-01,spotify,streams,1022,", "2025-05-01,spotify,streams,1023,", StringComparison.Ordinal)
            .Replace("2025-05-11,spotify,streams,1147,", "2025-05-11,spotify,streams,1150,", StringComparison.Ordinal));
        var read = Unify();

        // Then unify read only that file, and the day it alone has took the new value
        Assert.Equal(1, read);
        Assert.Equal("1023", _lake.UnifiedDays("toolost", "spotify")["2025-05-01"]["streams"]);
        AssertSameAsFullBuild();
    }

    [Fact]
    public void Should_Write_What_A_Full_Build_Writes_When_The_Newest_Snapshots_Go_Away()
    {
        // Given a built lake, when the newest TooLost reply and the newest bank export are no longer staged
        var newestDay = _lake.UnifiedDays("toolost", "spotify")["2025-06-11"];
        EditStaged(state =>
        {
            foreach (var key in state.Items.Where(i => i.Value.Facts.GetValueOrDefault("output") is NewestReply or NewestBank).Select(i => i.Key).ToList())
            {
                state.Items.Remove(key);
            }
        });
        Unify();

        // Then the days they won fall back to older snapshots, as a full build has them
        Assert.NotEqual(newestDay["source_file"], _lake.UnifiedDays("toolost", "spotify").GetValueOrDefault("2025-06-11")?["source_file"]);
        AssertSameAsFullBuild();
    }

    [Fact]
    public void Should_Write_What_A_Full_Build_Writes_When_An_Old_Bank_Export_Lands_Again_Changed()
    {
        // Given a built lake, when the older bank export is downloaded again with one row more
        var bank = _lake.LandingFile("dk_bank_details_20250601_093015.tsv");
        var lines = File.ReadAllText(bank).TrimEnd('\r', '\n').Split('\r');
        File.AppendAllText(bank, lines[^1] + "\r");
        _lake.Run();

        // Then the new version is staged beside the old one, and unify equals a full build
        Assert.Contains("staging/distrokid/sales/distrokid_sales_staging_20250601_093015_v2.csv", _lake.LakeFiles("staging/distrokid/sales"));
        AssertSameAsFullBuild();
    }

    [Fact]
    public void Should_Check_The_Lineage_Again_When_Only_A_Staged_Files_Raw_Totals_Change()
    {
        // Given a built lake, when a reply is staged again to the same bytes but with other raw totals
        // (as a change to how totals are read from the raw file would leave it)
        var before = _lake.Snapshot("staging/cross_platform");
        EditStaged(state =>
        {
            var item = state.Items.Values.Single(i => i.Facts.GetValueOrDefault("output") == OldReply);
            item.Facts["raw_totals"] = RawTotal.Serialize(RawTotal.Parse(item.Facts["raw_totals"])
                .Select(t => t is { Source: "toolost", Month: "2025-05", Measure: "streams" } ? t with { Read = t.Read + 7 } : t));
        });

        // Then unify runs again and checks the new raw totals: the month no longer agrees, and only the lineage file changed
        StepReport unify;
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), new LoggerConfiguration().CreateLogger()))
        {
            unify = pipeline.Unify();
        }

        Assert.Equal(1, unify.ItemsFailed);
        Assert.Contains("toolost 2025-05 streams", Assert.Single(unify.Errors), StringComparison.Ordinal);
        var after = _lake.Snapshot("staging/cross_platform");
        var changed = after.Where(f => !f.Value.AsSpan().SequenceEqual(before[f.Key])).Select(f => f.Key).ToList();
        Assert.Contains("_lineage_totals_", Assert.Single(changed), StringComparison.Ordinal);
    }

    [Fact]
    public void Should_Not_Take_The_Cache_Read_Ahead_During_Staging_When_Its_File_Changed_Before_The_Build()
    {
        // Given a built lake, and a newer TooLost reply promoted and staged (staging reads unify's cache of its dataset ahead)
        File.WriteAllText(Path.Combine(_lake.Landing, "toolost", "toolost_spotify_20250620_080000.json"),
            """{"streams": [{"date": "2025-06-12", "streams": "1290"}]}""");
        var log = new Logged();
        using (var pipeline = BedrotPipeline.Open(_lake.Options(), new FixedTime(_lake.Now), log.Logger()))
        {
            pipeline.ValidateRaw();
            pipeline.StagePlatform();

            // When the cache file is damaged before unify builds
            var cache = _lake.InLake(".bedrot/cache/unify/streaming_unified.bin");
            File.WriteAllBytes(cache, File.ReadAllBytes(cache)[..40]);
            Assert.Equal("succeeded", pipeline.Unify().Status);
        }

        // Then the build took the file as it is now, damaged: it took its staging files from the staging
        // state rather than from the cache, read every one again, and wrote what a full build writes
        Assert.Contains(log.Messages(), m => m.Contains("its staging files are taken from the staging state", StringComparison.Ordinal));
        Assert.True(log.StagingFilesRead() > 1);
        AssertSameAsFullBuild();
    }

    [Theory]
    [InlineData("streaming_unified.bin")]
    [InlineData("streaming_unified.rows.bin")]
    public void Should_Build_From_Every_File_When_Its_Last_Build_Is_Damaged(string damaged)
    {
        // Given a built lake with a part of its unify cache cut short, and a reply restaged with a new value for a day it wins
        var cache = _lake.InLake(".bedrot/cache/unify/" + damaged);
        File.WriteAllBytes(cache, File.ReadAllBytes(cache)[..40]);

        RestageWith(OldReply, 1, text => text.Replace("2025-05-01,spotify,streams,1022,", "2025-05-01,spotify,streams,1023,", StringComparison.Ordinal));

        // When unify runs, then it reads every file again and writes a full build's output
        Assert.True(Unify() > 1);
        AssertSameAsFullBuild();
    }

    /// <summary>
    /// Rewrites a TooLost staging file as a new staging would, May's streams changed by
    /// <paramref name="moreStreamsInMay"/>, and records its new hash and raw totals.
    /// </summary>
    private void RestageWith(string relative, decimal moreStreamsInMay, Func<string, string> edit)
    {
        var path = _lake.InLake(relative);
        var text = File.ReadAllText(path);
        var edited = edit(text);
        Assert.NotEqual(text, edited);
        File.WriteAllText(path, edited);
        EditStaged(state =>
        {
            var item = state.Items.Values.Single(i => i.Facts.GetValueOrDefault("output") == relative);
            item.Outputs[relative] = Hashing.OfFile(path);
            item.Facts["raw_totals"] = RawTotal.Serialize(RawTotal.Parse(item.Facts["raw_totals"])
                .Select(t => t is { Source: "toolost", Month: "2025-05", Measure: "streams" } ? t with { Read = t.Read + moreStreamsInMay } : t));
        });
    }

    /// <summary>The unified streams file unify recorded.</summary>
    private string UnifiedStreamsFile() =>
        _lake.InLake(StepState.Load(_lake.InLake($".bedrot/state/{BedrotPipeline.UnifyStep}.json")).Items["streaming_unified"].Facts["output"]);

    private void EditStaged(Action<StepState> edit)
    {
        var path = _lake.InLake($".bedrot/state/{BedrotPipeline.StagePlatformStep}.json");
        var state = StepState.Load(path);
        edit(state);
        state.Save(path);
    }

    /// <summary>Runs unify alone; returns how many staging files streaming_unified read.</summary>
    private long Unify(bool force = false)
    {
        var log = new Logged();
        using var pipeline = BedrotPipeline.Open(_lake.Options(force), new FixedTime(_lake.Now), log.Logger());
        Assert.Equal("succeeded", pipeline.Unify().Status);
        return log.StagingFilesRead();
    }

    /// <summary>What unify wrote equals, byte for byte, what it writes from every staging file without its last build.</summary>
    private void AssertSameAsFullBuild()
    {
        var incremental = UnifiedOutputs();
        Directory.Delete(_lake.InLake(".bedrot/cache"), recursive: true);
        Assert.True(Unify(force: true) > 1);
        var expected = UnifiedOutputs();
        Assert.Equal(expected.Keys, incremental.Keys);
        Assert.All(expected, file => Assert.True(file.Value.AsSpan().SequenceEqual(incremental[file.Key]), $"{file.Key} differs from a full build"));
    }

    /// <summary>The log events of a run.</summary>
    private sealed class Logged : ILogEventSink
    {
        private readonly List<LogEvent> _events = [];

        public ILogger Logger() => new LoggerConfiguration().WriteTo.Sink(this).CreateLogger();

        public void Emit(LogEvent logEvent) => _events.Add(logEvent);

        /// <summary>The messages logged, rendered.</summary>
        public List<string> Messages() => [.. _events.Select(e => e.RenderMessage())];

        /// <summary>How many staging files unify read for streaming_unified, as its log says.</summary>
        public long StagingFilesRead() => _events
            .Where(e => e.Properties.TryGetValue("Output", out var output) && output.ToString().Contains("streaming_unified", StringComparison.Ordinal)
                        && e.Properties.ContainsKey("Read"))
            .Select(e => (long)(int)((ScalarValue)e.Properties["Read"]).Value!)
            .Single();
    }

    private Dictionary<string, byte[]> UnifiedOutputs() =>
        _lake.Snapshot("staging")
            .Where(f => f.Key.StartsWith("staging/cross_platform/", StringComparison.Ordinal) || f.Key.Contains("_unified_", StringComparison.Ordinal))
            .ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
}

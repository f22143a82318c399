using System.Globalization;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Tests.Quality;

/// <summary>
/// Control totals carried from raw through staging to unified, per source, month and measure: raw
/// less rejected equals staged, and staged less what the stated dedup rules removed equals unified.
/// </summary>
public sealed class ControlTotalsLineageTests : IDisposable
{
    private readonly TempLake _lake = new("distrokid");

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Carry_The_Bank_Streams_Of_Every_Month_From_The_Raw_Files_To_Unified()
    {
        // Given the two bank exports, read here on their own: each sale month's quantity in all rows,
        // and in the rows of the newest export for each reporting date (the stated dedup rule)
        var exports = Directory.GetFiles(Path.Combine(_lake.Landing, "distrokid"), "dk_bank_details_*.tsv").Order(StringComparer.Ordinal)
            .Select(file => File.ReadAllLines(file).Skip(1).Where(l => l.Length > 0).Select(l => l.TrimEnd('\r').Split('\t')).ToList())
            .ToList();
        var raw = exports.SelectMany(rows => rows).GroupBy(r => r[1]).ToDictionary(g => g.Key, g => g.Sum(r => long.Parse(r[7], CultureInfo.InvariantCulture)));
        var newestFor = new Dictionary<string, int>();
        for (var i = 0; i < exports.Count; i++)
        {
            foreach (var row in exports[i])
            {
                newestFor[row[0]] = i;
            }
        }

        var kept = exports.SelectMany((rows, i) => rows.Where(r => newestFor[r[0]] == i)).GroupBy(r => r[1])
            .ToDictionary(g => g.Key, g => g.Sum(r => long.Parse(r[7], CultureInfo.InvariantCulture)));

        // When the pipeline runs
        _lake.Run();

        // Then every month's line follows them: raw, nothing rejected, staged = raw, unified = the newest exports' rows
        var lines = Lineage("streaming_unified").Where(l => l["source"] == "distrokid_bank" && l["measure"] == "streams").ToList();
        Assert.Equal(raw.Keys.Order(StringComparer.Ordinal), lines.Select(l => l["month"]));
        foreach (var line in lines)
        {
            Assert.Equal(raw[line["month"]].ToString(CultureInfo.InvariantCulture), line["raw"]);
            Assert.Equal("0", line["rejected_in_staging"]);
            Assert.Equal(line["raw"], line["staged"]);
            Assert.Equal(kept[line["month"]].ToString(CultureInfo.InvariantCulture), line["unified"]);
            Assert.Equal((raw[line["month"]] - kept[line["month"]]).ToString(CultureInfo.InvariantCulture), line["removed_latest_snapshot"]);
            Assert.Equal("ok", line["status"]);
        }

        // And the summary reports the file with no mismatch
        var summary = Summary();
        var totals = summary["control_totals"]!.Single(t => (string?)t["dataset"] == "streaming_unified");
        Assert.Equal(0, (int)totals["mismatched"]!);
        Assert.Equal(Lineage("streaming_unified").Count, (int)totals["lines"]!);
    }

    [Fact]
    public void Should_Count_The_Amounts_Of_Rejected_Rows_On_The_Raw_Side()
    {
        // Given a bank export whose one row has an unreadable country code (rejected by its pattern)
        File.WriteAllText(Path.Combine(_lake.Landing, "distrokid", "dk_bank_details_20250901_101500.tsv"),
            "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)\r\n" +
            "2025-08-05\t2025-07\tSpotify\tZONE A0\tHOLD ON I\tQZXKB2431870\t197368204153\t400\t100\tSong\tGermany\t0\t1.5\r\n");

        // When the pipeline runs
        _lake.Run();

        // Then July's line says the raw file held 400 streams, all rejected, and nothing reached unified
        var july = Lineage("streaming_unified").Single(l => l["source"] == "distrokid_bank" && l["month"] == "2025-07" && l["measure"] == "streams");
        Assert.Equal(("400", "400", "0", "0", "ok"), (july["raw"], july["rejected_in_staging"], july["staged"], july["unified"], july["status"]));
    }

    [Fact]
    public void Should_Fail_Unify_Naming_The_Line_When_Staging_Holds_Less_Than_Raw_Less_Rejected()
    {
        // Given a built lake whose record of one bank export's raw total claims 1,000 more streams in
        // 2025-04 than staging holds (as if rows were lost between reading and writing)
        _lake.Run();
        var statePath = _lake.InLake(".bedrot/state/stage-platform.json");
        var state = JObject.Parse(File.ReadAllText(statePath));
        var item = state["Items"]!.Children<JProperty>().First(p => p.Name.Contains("dk_bank_details_20250801", StringComparison.Ordinal)).Value;
        var totals = JArray.Parse((string)item["Facts"]!["raw_totals"]!);
        var april = totals.First(t => (string?)t[2] == "2025-04" && (string?)t[3] == "streams");
        april[4] = (decimal.Parse((string)april[4]!, CultureInfo.InvariantCulture) + 1000).ToString(CultureInfo.InvariantCulture);
        item["Facts"]!["raw_totals"] = totals.ToString(Newtonsoft.Json.Formatting.None);
        File.WriteAllText(statePath, state.ToString());

        // When the pipeline runs again
        using var pipeline = BedrotPipeline.Open(_lake.Options() with { QualityGate = Bedrot.DataLake.Lake.QualityGateMode.Warn },
            new FixedTime(_lake.Now), new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        var unify = pipeline.Unify();
        pipeline.QualityReport();

        // Then the unify step fails, naming the dataset, the line and the lineage file, and the file says MISMATCH
        Assert.Equal("failed", unify.Status);
        var error = Assert.Single(unify.Errors);
        Assert.Contains("distrokid_bank 2025-04 streams", error, StringComparison.Ordinal);
        Assert.Contains("streaming_unified_lineage_totals_", error, StringComparison.Ordinal);

        // And the report counts the broken line against streaming_unified's consistency
        var unified = Summary()["datasets"]!.Single(d => (string?)d["dataset"] == "streaming_unified");
        Assert.Equal(1, (long)unified["disagreements"]!);
        var line = Lineage("streaming_unified").Single(l => l["source"] == "distrokid_bank" && l["month"] == "2025-04" && l["measure"] == "streams");
        Assert.StartsWith("raw ", line["status"], StringComparison.Ordinal);
        Assert.Equal((long.Parse(line["staged"], CultureInfo.InvariantCulture) + 1000).ToString(CultureInfo.InvariantCulture), line["raw"]);
    }

    [Fact]
    public void Should_Stop_Unify_Naming_The_First_Staging_Item_Whose_Record_Lacks_Its_Snapshot()
    {
        // Given a built lake whose staging record of both bank exports lost the snapshot time
        _lake.Run();
        var statePath = _lake.InLake(".bedrot/state/stage-platform.json");
        var state = JObject.Parse(File.ReadAllText(statePath));
        var banks = state["Items"]!.Children<JProperty>().Where(p => p.Name.Contains("dk_bank_details_", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, banks.Count);
        foreach (var bank in banks)
        {
            ((JObject)bank.Value["Facts"]!).Remove("snapshot_at");
        }

        File.WriteAllText(statePath, state.ToString());

        // When unify plans again (its items are read side by side)
        using var pipeline = BedrotPipeline.Open(_lake.Options() with { Parallelism = 2 },
            new FixedTime(_lake.Now), new Serilog.LoggerConfiguration().CreateLogger());
        pipeline.ValidateRaw();
        pipeline.StagePlatform();
        var error = Assert.Throws<InvalidDataException>(() => pipeline.Unify());

        // Then it names the first of them in key order, and what its record lacks
        var first = banks.Select(b => b.Name).Order(StringComparer.Ordinal).First();
        Assert.StartsWith(first + ":", error.Message, StringComparison.Ordinal);
        Assert.Contains("records no snapshot_at", error.Message, StringComparison.Ordinal);
    }

    private List<Dictionary<string, string>> Lineage(string dataset)
    {
        var file = Directory.GetFiles(_lake.InLake("staging/cross_platform"), $"{dataset}_lineage_totals_*.csv").Single();
        var lines = File.ReadAllLines(file);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private JObject Summary() =>
        JObject.Parse(File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/quality_reports"), "validation_summary_*.json").Single()));
}

using System.Globalization;
using Bedrot.DataLake.Incremental;
using Bedrot.DataLake.Pipeline;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Tests.Support;
using Newtonsoft.Json.Linq;
using static Bedrot.DataLake.Tests.Support.MetaAdsSamples;

namespace Bedrot.DataLake.Tests.Pipeline;

/// <summary>What one build of the Meta Ads samples (SDK dumps, Graph API replies, Ads Manager exports) leaves in each zone.</summary>
public sealed class MetaAdsTests : IDisposable
{
    private const string DailyFolder = "staging/metaads/daily";

    private static readonly Dictionary<string, string> InsightsStaging = new(StringComparer.Ordinal)
    {
        [$"{FirstDump}/insights.json"] = $"{DailyFolder}/metaads_daily_staging_20250601_101500.csv",
        [$"{SecondDump}/insights.json"] = $"{DailyFolder}/metaads_daily_staging_20250608_101500.csv",
        ["insights_20250610.json"] = $"{DailyFolder}/metaads_daily_staging_20250610.csv",
    };

    private readonly TempLake _lake = new("metaads");
    private readonly BedrotRun _run;

    public MetaAdsTests() => _run = _lake.Run(explain: true);

    public void Dispose() => _lake.Dispose();

    [Fact]
    public void Should_Validate_Each_Dump_Folder_As_One_Item()
    {
        // Then validate-raw ran one item per dump folder, keyed by the folder, and one per lone file
        var raw = _run.Step(BedrotPipeline.ValidateRawStep);
        Assert.Equal(
            [
                "metaads/campaigns_20250610.json",
                "metaads/insights_20250610.json",
                $"metaads/{FirstDump}/",
                $"metaads/{SecondDump}/",
                $"metaads/{ExpiredDump}/",
                $"metaads/{EnglishExport}",
                $"metaads/{SpanishExport}",
            ],
            raw.Reasons.Keys.Order(StringComparer.Ordinal));
        Assert.All(raw.Reasons.Values, reason => Assert.Equal("new", reason));
        Assert.Equal(7, raw.ItemsRun);

        // And the counts are per file: 4 + 2 new members and 4 lone files promoted, 2 members seen before, 4 quarantined
        Assert.Equal(10, raw.Counts["promoted"]);
        Assert.Equal(2, raw.Counts["duplicate"]);
        Assert.Equal(4, raw.Counts["quarantined"]);
    }

    [Fact]
    public void Should_Promote_The_Members_Of_Each_Good_Dump_Into_One_Raw_Folder()
    {
        var ledger = Ledger.Load(_lake.InLake("raw/_ledger.jsonl"));
        Assert.Empty(ledger.Problems);

        foreach (var dump in GoodDumps)
        {
            var extractedAt = $"2025-06-{dump[20..22]}T10:15:00Z";
            foreach (var member in Members)
            {
                // Then each member has one ledger line, of its own kind
                var landing = File.ReadAllBytes(_lake.MetaLanding($"{dump}/{member}"));
                var entry = Assert.Single(ledger.Entries, e => e.Source == $"metaads/{dump}/{member}");
                Assert.Equal("metaads", entry.Platform);
                Assert.Equal(Path.GetFileNameWithoutExtension(member), entry.Datatype);
                Assert.Equal(Hashing.Of(landing), entry.Sha256);

                // And its raw copy, in the folder named like the dump, is byte-identical to landing
                Assert.Equal(landing, File.ReadAllBytes(_lake.InLake(entry.RawPath)));
                if (entry.Event == LedgerEntry.Promoted)
                {
                    Assert.Equal($"raw/metaads/dump/2025/06/{dump}/{member}", entry.RawPath);
                    Assert.Equal(extractedAt, entry.ExtractedAt);
                    Assert.True(File.Exists(_lake.InLake(entry.RawPath + ".lineage.json")));
                }
            }
        }

        // And the second dump's ad sets and ads, byte-identical to the first's, are recorded as
        // duplicates of the first dump's copies rather than copied again
        foreach (var member in new[] { "adsets.json", "ads.json" })
        {
            var entry = ledger.Entries.Single(e => e.Source == $"metaads/{SecondDump}/{member}");
            Assert.Equal(LedgerEntry.Duplicate, entry.Event);
            Assert.Equal($"raw/metaads/dump/2025/06/{FirstDump}/{member}", entry.RawPath);
        }

        Assert.Equal(
            [
                $"raw/metaads/dump/2025/06/{FirstDump}/ads.json",
                $"raw/metaads/dump/2025/06/{FirstDump}/adsets.json",
                $"raw/metaads/dump/2025/06/{FirstDump}/campaigns.json",
                $"raw/metaads/dump/2025/06/{FirstDump}/insights.json",
                $"raw/metaads/dump/2025/06/{SecondDump}/campaigns.json",
                $"raw/metaads/dump/2025/06/{SecondDump}/insights.json",
            ],
            _lake.LakeFiles("raw/metaads/dump").Where(f => !f.EndsWith(".lineage.json", StringComparison.Ordinal)));
        Assert.Equal(10, ledger.Entries.Count(e => e.Event == LedgerEntry.Promoted));
        Assert.Equal(2, ledger.Entries.Count(e => e.Event == LedgerEntry.Duplicate));
    }

    [Fact]
    public void Should_Quarantine_Every_File_Of_The_Dump_Whose_Insights_Are_An_Expired_Token_Error()
    {
        // Then all four files of the dump sit in quarantine under the dump's folder, byte for byte
        Assert.Equal(
            Members.SelectMany(m => new[] { $"quarantine/metaads/{ExpiredDump}/{m}", $"quarantine/metaads/{ExpiredDump}/{m}.reason.json" })
                .Order(StringComparer.Ordinal),
            _lake.LakeFiles("quarantine"));
        foreach (var member in Members)
        {
            var copy = _lake.InLake($"quarantine/metaads/{ExpiredDump}/{member}");
            Assert.Equal(File.ReadAllBytes(_lake.MetaLanding($"{ExpiredDump}/{member}")), File.ReadAllBytes(copy));

            // And each reason names the error reply in insights.json, with Meta's own message
            var reason = JObject.Parse(File.ReadAllText(copy + ".reason.json"));
            Assert.Equal($"metaads/{ExpiredDump}/{member}", (string?)reason["file"]);
            Assert.Equal("metaads", (string?)reason["platform"]);
            Assert.Equal(Path.GetFileNameWithoutExtension(member), (string?)reason["datatype"]);
            var problem = Assert.Single((JArray)reason["problems"]!);
            Assert.Equal("insights.json: $.error", (string?)problem["where"]);
            var text = (string)problem["problem"]!;
            Assert.Contains("Error validating access token: Session has expired on Sunday, 15-Jun-25 01:00:00 PDT.", text, StringComparison.Ordinal);
            Assert.Contains("OAuthException", text, StringComparison.Ordinal);
            Assert.Contains("190", text, StringComparison.Ordinal);
        }

        // And nothing of it reached raw, the ledger or staging: no zero-row insights
        Assert.DoesNotContain(_lake.LakeFiles("raw"), f => f.Contains("20250615", StringComparison.Ordinal));
        Assert.DoesNotContain(Ledger.Load(_lake.InLake("raw/_ledger.jsonl")).Entries, e => e.Source.Contains(ExpiredDump, StringComparison.Ordinal));
        Assert.DoesNotContain(_lake.LakeFiles("staging"), f => f.Contains("20250615", StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Quarantine_A_Dump_Missing_A_Member_Naming_It()
    {
        // Given a new dump folder holding a good dump's files but ads.json
        using var lake = new TempLake("metaads");
        const string dump = "meta_ads_dump_20250620_101500";
        CopyDump(lake, FirstDump, dump);
        File.Delete(lake.MetaLanding($"{dump}/ads.json"));

        // When the lake is built
        var run = lake.Run(explain: true);

        // Then the folder is one item, and its three files are quarantined, each naming the missing member
        Assert.Equal("new", run.Step(BedrotPipeline.ValidateRawStep).Reasons[$"metaads/{dump}/"]);
        Assert.Equal(4 + 3, run.Step(BedrotPipeline.ValidateRawStep).Counts["quarantined"]);
        var present = new[] { "campaigns.json", "adsets.json", "insights.json" };
        Assert.Equal(
            present.SelectMany(m => new[] { $"quarantine/metaads/{dump}/{m}", $"quarantine/metaads/{dump}/{m}.reason.json" }).Order(StringComparer.Ordinal),
            lake.LakeFiles($"quarantine/metaads/{dump}"));
        foreach (var member in present)
        {
            var reason = JObject.Parse(File.ReadAllText(lake.InLake($"quarantine/metaads/{dump}/{member}.reason.json")));
            var problem = Assert.Single((JArray)reason["problems"]!);
            Assert.Equal("ads.json", (string?)problem["where"]);
            Assert.StartsWith("missing", (string?)problem["problem"], StringComparison.Ordinal);
        }

        // And nothing of that folder is in raw or in the ledger
        Assert.DoesNotContain(lake.LakeFiles("raw"), f => f.Contains(dump, StringComparison.Ordinal));
        Assert.DoesNotContain(Ledger.Load(lake.InLake("raw/_ledger.jsonl")).Entries, e => e.Source.Contains(dump, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Quarantine_A_Dump_With_A_Stray_File_Naming_It()
    {
        // Given a new dump folder holding a good dump's four files and a notes.txt
        using var lake = new TempLake("metaads");
        const string dump = "meta_ads_dump_20250621_101500";
        CopyDump(lake, FirstDump, dump);
        File.WriteAllText(lake.MetaLanding($"{dump}/notes.txt"), "pulled by hand after the token was renewed\n");

        // When the lake is built
        var run = lake.Run();

        // Then all five files are quarantined, each reason naming the stray file and no other problem
        Assert.Equal(4 + 5, run.Step(BedrotPipeline.ValidateRawStep).Counts["quarantined"]);
        foreach (var file in Members.Append("notes.txt"))
        {
            var copy = lake.InLake($"quarantine/metaads/{dump}/{file}");
            Assert.Equal(File.ReadAllBytes(lake.MetaLanding($"{dump}/{file}")), File.ReadAllBytes(copy));
            var problem = Assert.Single((JArray)JObject.Parse(File.ReadAllText(copy + ".reason.json"))["problems"]!);
            Assert.Equal("notes.txt", (string?)problem["where"]);
            Assert.Contains("not a member", (string?)problem["problem"], StringComparison.Ordinal);
        }

        Assert.DoesNotContain(lake.LakeFiles("raw"), f => f.Contains(dump, StringComparison.Ordinal));
    }

    [Fact]
    public void Should_Not_Give_A_Stray_File_Of_A_Dump_A_Member_Kind()
    {
        // Given a dump folder with a notes.txt beside its four files
        using var lake = new TempLake("metaads");
        const string dump = "meta_ads_dump_20250621_101500";
        CopyDump(lake, FirstDump, dump);
        File.WriteAllText(lake.MetaLanding($"{dump}/notes.txt"), "pulled by hand\n");

        // When the lake is built
        lake.Run();

        // Then the reason of notes.txt names the dump's platform but no datatype or validator: it is
        // none of the members, and must not be reported as the first of them (campaigns)
        var reason = JObject.Parse(File.ReadAllText(lake.InLake($"quarantine/metaads/{dump}/notes.txt.reason.json")));
        Assert.Equal("metaads", (string?)reason["platform"]);
        Assert.Null((string?)reason["datatype"]);
        Assert.Null((string?)reason["validator"]);
    }

    [Fact]
    public void Should_Keep_Every_Eighteen_Digit_Id_Byte_For_Byte()
    {
        // Given every 18-digit id string in the JSON files of landing
        var ids = _lake.LandingIds();
        Assert.Contains(CampaignA, ids);
        Assert.Contains(CampaignB, ids);
        Assert.Contains(CampaignC, ids);

        // Then every campaign and ad set id in staging and in unified is one of them, as text
        var staged = _lake.LakeFiles("staging/metaads").Select(f => _lake.LakeCsv(f)).SelectMany(rows => rows).ToList();
        Assert.NotEmpty(staged);
        Assert.All(staged, r => Assert.Contains(r["campaign_id"], ids));
        Assert.All(staged.Where(r => r.ContainsKey("adset_id") && r["adset_id"].Length > 0), r => Assert.Contains(r["adset_id"], ids));
        var unified = _lake.MarketingRows();
        Assert.All(unified, r => Assert.Contains(r["campaign_id"], ids));

        // And the three campaigns are all there are, in each zone
        string[] campaigns = [CampaignA, CampaignB, CampaignC];
        Assert.Equal(campaigns.Order(StringComparer.Ordinal), staged.Select(r => r["campaign_id"]).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(campaigns.Order(StringComparer.Ordinal), unified.Select(r => r["campaign_id"]).Distinct().Order(StringComparer.Ordinal));

        // And every ad set of the dumps' insights is staged under its own id
        var adSets = _lake.NewestAdSetDays().Keys.Select(k => k.AdSet).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(4, adSets.Count);
        Assert.Equal(adSets.Order(StringComparer.Ordinal), staged.Where(r => r.ContainsKey("adset_id") && r["adset_id"].Length > 0)
            .Select(r => r["adset_id"]).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_Turn_Budgets_In_Cents_Into_Dollars()
    {
        // Then each campaigns file is staged once
        var sources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["staging/metaads/campaigns/metaads_campaigns_staging_20250601_101500.csv"] = $"{FirstDump}/campaigns.json",
            ["staging/metaads/campaigns/metaads_campaigns_staging_20250608_101500.csv"] = $"{SecondDump}/campaigns.json",
            ["staging/metaads/campaigns/metaads_campaigns_staging_20250610.csv"] = "campaigns_20250610.json",
        };
        Assert.Equal(sources.Keys.Order(StringComparer.Ordinal), _lake.LakeFiles("staging/metaads/campaigns"));

        // And each budget is the cents Meta states divided by 100, empty where Meta states none
        foreach (var (staged, landing) in sources)
        {
            var expected = _lake.MetaRows(landing).ToDictionary(r => r.Text("id")!, StringComparer.Ordinal);
            var rows = _lake.LakeCsv(staged);
            Assert.Equal(3, rows.Count);
            Assert.All(rows, row =>
            {
                var campaign = expected[row["campaign_id"]];
                Assert.Equal(campaign.Text("name"), row["campaign_name"]);
                Assert.Equal(campaign.Text("status"), row["status"]);
                Assert.Equal(DecOrNull(campaign.Text("daily_budget")) / 100m, DecOrNull(row["daily_budget_usd"]));
                Assert.Equal(DecOrNull(campaign.Text("lifetime_budget")) / 100m, DecOrNull(row["lifetime_budget_usd"]));
            });

            // As in the samples: A spends 1500 cents a day, B has 25000 for its lifetime and no daily budget
            var a = rows.Single(r => r["campaign_id"] == CampaignA);
            var b = rows.Single(r => r["campaign_id"] == CampaignB);
            Assert.Equal(15m, Dec(a["daily_budget_usd"]));
            Assert.Equal(string.Empty, a["lifetime_budget_usd"]);
            Assert.Equal(250m, Dec(b["lifetime_budget_usd"]));
            Assert.Equal(string.Empty, b["daily_budget_usd"]);
        }

        // And campaign C's status follows its dump: paused in the first, active from the second on
        Assert.Equal("PAUSED", _lake.LakeCsv(sources.Keys.First()).Single(r => r["campaign_id"] == CampaignC)["status"]);
        Assert.Equal("ACTIVE", _lake.LakeCsv(sources.Keys.ElementAt(1)).Single(r => r["campaign_id"] == CampaignC)["status"]);
    }

    [Fact]
    public void Should_Stage_Rates_Conversions_And_Costs_From_Each_Insights_Row()
    {
        Assert.Equal(InsightsStaging.Values.Order(StringComparer.Ordinal),
            _lake.LakeFiles(DailyFolder).Where(f => Path.GetFileName(f).StartsWith("metaads_daily_", StringComparison.Ordinal)));
        foreach (var (landing, staged) in InsightsStaging)
        {
            // Given the insights rows of one file, by campaign, ad set and range
            var expected = _lake.MetaRows(landing).ToDictionary(
                r => (r.Text("campaign_id")!, r.Text("adset_id") ?? string.Empty, r.Text("date_start")!, r.Text("date_stop")!));
            var rows = _lake.LakeCsv(staged);
            Assert.Equal(expected.Count, rows.Count);

            Assert.All(rows, row =>
            {
                var source = expected[(row["campaign_id"], row["adset_id"], row["date"], row["date_stop"])];

                // Then ctr is Meta's percentage made a fraction
                Assert.Equal(Dec(source.Text("ctr")!) / 100m, Dec(row["ctr"]));
                Assert.Equal(Dec(source.Text("spend")!), Dec(row["spend_usd"]));
                Assert.Equal(source.Text("impressions"), row["impressions"]);
                Assert.Equal(source.Text("clicks"), row["clicks"]);

                // And cpc is spend / clicks to 6 decimals, empty at zero clicks
                var clicks = Dec(row["clicks"]);
                if (clicks == 0)
                {
                    Assert.Equal(string.Empty, row["cpc"]);
                }
                else
                {
                    Assert.True(Math.Abs(Dec(source.Text("spend")!) / clicks - Dec(row["cpc"])) <= 0.0000005m,
                        $"{landing} {row["campaign_id"]} {row["adset_id"]} {row["date"]}: cpc {row["cpc"]}");
                }

                // And conversions are the custom pixel events where the row reports actions, empty where it reports none
                Assert.Equal(source.Action("offsite_conversion.fb_pixel_custom") ?? string.Empty, row["conversions"]);
                Assert.Equal(source["actions"] is null, row["conversions"].Length == 0);
            });
        }

        // And the zero-click row of campaign A on 2025-05-27 has a zero ctr and no cpc
        var zero = _lake.LakeCsv(InsightsStaging[$"{FirstDump}/insights.json"])
            .Single(r => r["campaign_id"] == CampaignA && r["date"] == "2025-05-27" && r["clicks"] == "0");
        Assert.Equal("MD Traffic - US/CA 18-34", zero["adset_name"]);
        Assert.Equal(0m, Dec(zero["ctr"]));
        Assert.Equal(string.Empty, zero["cpc"]);
        Assert.Equal(13, _lake.MetaRows($"{FirstDump}/insights.json").Count(r => r["actions"] is not null));
    }

    [Fact]
    public void Should_Warn_About_The_Disagreeing_Ctr_And_Keep_The_Row()
    {
        // Given the first dump's row of campaign B, ad set Presave - MX/ES 18-34, on 2025-05-29
        var rows = _lake.MetaRows($"{FirstDump}/insights.json");
        var index = rows.FindIndex(r => r.Text("campaign_id") == CampaignB && r.Text("adset_name") == "Presave - MX/ES 18-34" && r.Text("date_start") == "2025-05-29");
        Assert.Equal("2.500000", rows[index].Text("ctr"));

        // Then it is the one warning, under the ctr check, at its JSON path, with the stated value
        var file = Assert.Single(_lake.LakeFiles("staging/_warnings"));
        Assert.Equal("staging/_warnings/metaads_daily_warnings_20250601_101500.csv", file);
        var warning = Assert.Single(_lake.LakeCsv(file));
        Assert.Equal("ctr_matches_clicks_over_impressions", warning["rule"]);
        Assert.Equal("ctr", warning["field"]);
        Assert.Equal($"$[{index}]", warning["locator"]);
        Assert.Equal(0.025m, Dec(warning["value"]));
        Assert.Equal($"raw/metaads/dump/2025/06/{FirstDump}/insights.json", warning["source_file"]);
        Assert.Equal(Hashing.Of(File.ReadAllBytes(_lake.MetaLanding($"{FirstDump}/insights.json"))), warning["raw_sha256"]);
        Assert.Contains("0.00600601", warning["message"], StringComparison.Ordinal);

        // And the row is still staged, with Meta's ctr as stated, not a reject
        var staged = _lake.LakeCsv(InsightsStaging[$"{FirstDump}/insights.json"])
            .Single(r => r["campaign_id"] == CampaignB && r["adset_name"] == "Presave - MX/ES 18-34" && r["date"] == "2025-05-29");
        Assert.Equal(0.025m, Dec(staged["ctr"]));
        Assert.DoesNotContain(_lake.LakeFiles("staging/_rejects"), f => f.Contains("metaads_daily_rejects", StringComparison.Ordinal));
        Assert.Equal(1, _run.Step(BedrotPipeline.StagePlatformStep).Counts["warned.ctr_matches_clicks_over_impressions"]);

        // And the second dump's corrected ctr for that row raises no warning
        var corrected = _lake.LakeCsv(InsightsStaging[$"{SecondDump}/insights.json"])
            .Single(r => r["campaign_id"] == CampaignB && r["adset_name"] == "Presave - MX/ES 18-34" && r["date"] == "2025-05-29");
        Assert.Equal(0.00600601m, Dec(corrected["ctr"]));
    }

    [Fact]
    public void Should_Keep_The_Graph_Api_Week_As_Range_Rows()
    {
        // Given the campaign-level reply for 2025-06-01 .. 2025-06-07
        var reply = _lake.MetaRows("insights_20250610.json").ToDictionary(r => r.Text("campaign_id")!, StringComparer.Ordinal);
        Assert.Equal([CampaignA, CampaignB], reply.Keys.Order(StringComparer.Ordinal));

        // Then unified has one range row per campaign with the reply's sums, from that file
        var ranges = _lake.MarketingRows().Where(r => r["grain"] == "range").ToList();
        Assert.Equal(2, ranges.Count);
        Assert.All(ranges, row =>
        {
            var source = reply[row["campaign_id"]];
            Assert.Equal("2025-06-01", row["date"]);
            Assert.Equal("2025-06-07", row["date_stop"]);
            Assert.Equal("meta_ads_api", row["source"]);
            Assert.Equal("meta", row["platform"]);
            Assert.Equal(source.Text("impressions"), row["impressions"]);
            Assert.Equal(source.Text("clicks"), row["clicks"]);
            Assert.Equal(Dec(source.Text("spend")!), Dec(row["spend_usd"]));
            Assert.Equal(source.Action("offsite_conversion.fb_pixel_custom"), row["conversions"]);
            Assert.Equal("insights_20250610.json", row["source_file"]);
        });
        Assert.Equal(192.02m, Dec(ranges.Single(r => r["campaign_id"] == CampaignA)["spend_usd"]));
        Assert.Equal(160.14m, Dec(ranges.Single(r => r["campaign_id"] == CampaignB)["spend_usd"]));

        // And the same week's day rows are still there, one per day, never folded into the range
        var days = _lake.MarketingDays("meta_ads_api");
        foreach (var campaign in new[] { CampaignA, CampaignB })
        {
            var week = StreamingSamples.Days("2025-06-01", "2025-06-07").Select(d => days[(campaign, d)]).ToList();
            Assert.Equal(Dec(reply[campaign].Text("spend")!), week.Sum(r => Dec(r["spend_usd"])));
            Assert.Equal(StreamingSamples.Long(reply[campaign].Text("impressions")!), week.Sum(r => StreamingSamples.Long(r["impressions"])));
        }
    }

    [Fact]
    public void Should_Reject_The_Row_With_A_Scientific_Notation_Id()
    {
        // Then the English export's 1.2E+17 row is a reject at its line, saying why
        var rejects = Assert.Single(_lake.LakeFiles("staging/_rejects"));
        Assert.Equal("staging/_rejects/metaads_ads_manager_daily_rejects_20250612_083045.csv", rejects);
        var reject = Assert.Single(_lake.LakeCsv(rejects));
        Assert.Equal("line 16", reject["locator"]); // header, total row, then the 14th campaign row
        Assert.Contains("1.2E+17", reject["message"], StringComparison.Ordinal);
        Assert.Contains("scientific notation", reject["message"], StringComparison.Ordinal);
        Assert.Equal($"raw/metaads/ads_manager/2025/06/{EnglishExport}", reject["source_file"]);
        Assert.Equal(1, _run.Step(BedrotPipeline.StagePlatformStep).Counts["rows_rejected"]);

        // And no staged or unified row carries the mangled id, nor a campaign B row for 2025-06-09 from the exports
        Assert.DoesNotContain(_lake.LakeFiles(DailyFolder).SelectMany(f => _lake.LakeCsv(f)), r => r["campaign_id"].Contains('E', StringComparison.Ordinal));
        Assert.DoesNotContain(_lake.MarketingRows(), r => r["campaign_id"] == "1.2E+17");
        Assert.DoesNotContain(_lake.MarketingRows(), r => r["campaign_id"] == CampaignB && r["date"] == "2025-06-09");
    }

    [Fact]
    public void Should_Stage_Each_Export_Without_Its_Total_Row_In_Plain_Numbers()
    {
        foreach (var (export, stamp) in new[] { (EnglishExport, "20250612_083045"), (SpanishExport, "20250613_090000") })
        {
            // Given the export's rows, read by hand: the total row first
            var rows = _lake.ExportRows(export);
            var total = rows[0];
            Assert.Equal(string.Empty, total["Campaign ID"]);
            var campaigns = rows.Skip(1).Where(r => r["Campaign ID"].All(char.IsAsciiDigit)).ToList();

            // Then the staging file holds each campaign row with its values as plain numbers, and no total row
            var staged = _lake.LakeCsv($"{DailyFolder}/metaads_ads_manager_daily_staging_{stamp}.csv");
            Assert.Equal(campaigns.Count, staged.Count);
            Assert.All(staged, r => Assert.Equal(r["date"], r["date_stop"]));
            Assert.All(staged, r => Assert.NotEqual(string.Empty, r["campaign_id"]));
            var byKey = staged.ToDictionary(r => (r["campaign_id"], r["date"]));
            Assert.All(campaigns, row =>
            {
                var stagedRow = byKey[(row["Campaign ID"], row["Reporting starts"])];
                Assert.Equal(row["Campaign name"], stagedRow["campaign_name"]);
                Assert.Equal(Dec(row["Amount spent (USD)"]), Dec(stagedRow["spend_usd"]));
                Assert.Equal(row["Impressions"], stagedRow["impressions"]);
                Assert.Equal(row["Link clicks"], stagedRow["link_clicks"]);
                Assert.Equal(row["Reach"], stagedRow["reach"]);
                Assert.Equal(row["Results"], stagedRow["results"]);
                Assert.Equal("actions:link_click", stagedRow["result_indicator"]);
                Assert.Equal(Dec(row["CTR (link click-through rate)"]) / 100m, Dec(stagedRow["link_ctr"]));
                Assert.Equal(Math.Round(Dec(row["Amount spent (USD)"]) / Dec(row["Link clicks"]), 6), Dec(stagedRow["link_cpc"]));

                // An export counts link clicks only: all clicks, and the ctr and cpc over them, stay empty
                Assert.Equal(string.Empty, stagedRow["clicks"]);
                Assert.Equal(string.Empty, stagedRow["ctr"]);
                Assert.Equal(string.Empty, stagedRow["cpc"]);
                Assert.Equal($"metaads_campaign_daily_{stamp}.csv", stagedRow["source_file"]);
            });

            // And what was staged, with the rejected row, adds up to the export's own total row
            var rejected = rows.Skip(1).Except(campaigns).ToList();
            Assert.Equal(Dec(total["Amount spent (USD)"]), staged.Sum(r => Dec(r["spend_usd"])) + rejected.Sum(r => Dec(r["Amount spent (USD)"])));
            Assert.Equal(StreamingSamples.Long(total["Impressions"]),
                staged.Sum(r => StreamingSamples.Long(r["impressions"])) + rejected.Sum(r => StreamingSamples.Long(r["Impressions"])));
            Assert.Equal(StreamingSamples.Long(total["Reach"]),
                staged.Sum(r => StreamingSamples.Long(r["reach"])) + rejected.Sum(r => StreamingSamples.Long(r["Reach"])));
            Assert.Equal(StreamingSamples.Long(total["Link clicks"]),
                staged.Sum(r => StreamingSamples.Long(r["link_clicks"])) + rejected.Sum(r => StreamingSamples.Long(r["Link clicks"])));
        }

        // As the samples say: the English total is 1,006.31 and 1022 link clicks over 21 rows, the Spanish 23,08 over 5
        Assert.Equal(20, _lake.LakeCsv($"{DailyFolder}/metaads_ads_manager_daily_staging_20250612_083045.csv").Count);
        Assert.Equal(5, _lake.LakeCsv($"{DailyFolder}/metaads_ads_manager_daily_staging_20250613_090000.csv").Count);
        Assert.Equal(1006.31m, Dec(_lake.ExportRows(EnglishExport)[0]["Amount spent (USD)"]));
        Assert.Equal("1022", _lake.ExportRows(EnglishExport)[0]["Link clicks"]);
        Assert.Equal(23.08m, Dec(_lake.ExportRows(SpanishExport)[0]["Amount spent (USD)"]));
    }

    [Fact]
    public void Should_Take_Campaign_C_From_The_Newer_Spanish_Export_Where_Both_Exports_Have_It()
    {
        // Given the exports' campaign C rows
        var english = _lake.ExportRows(EnglishExport).Where(r => r["Campaign ID"] == CampaignC).ToDictionary(r => r["Reporting starts"], StringComparer.Ordinal);
        var spanish = _lake.ExportRows(SpanishExport).Where(r => r["Campaign ID"] == CampaignC).ToDictionary(r => r["Reporting starts"], StringComparer.Ordinal);
        Assert.Equal(StreamingSamples.Days("2025-06-05", "2025-06-11"), english.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(StreamingSamples.Days("2025-06-08", "2025-06-12"), spanish.Keys.Order(StringComparer.Ordinal));

        // Then unified has one Ads Manager day row of C per day, from the newest export having the day
        var days = _lake.MarketingDays("meta_ads_manager").Where(d => d.Key.Campaign == CampaignC).ToDictionary(d => d.Key.Date, d => d.Value, StringComparer.Ordinal);
        Assert.Equal(StreamingSamples.Days("2025-06-05", "2025-06-12"), days.Keys.Order(StringComparer.Ordinal));
        Assert.All(days, day =>
        {
            var (file, row) = spanish.TryGetValue(day.Key, out var newer) ? (SpanishExport, newer) : (EnglishExport, english[day.Key]);
            Assert.Equal(file, day.Value["source_file"]);
            Assert.Equal(Dec(row["Amount spent (USD)"]), Dec(day.Value["spend_usd"]));
            Assert.Equal(row["Impressions"], day.Value["impressions"]);
            Assert.Equal(row["Link clicks"], day.Value["link_clicks"]);
            Assert.Equal(string.Empty, day.Value["clicks"]);
        });

        // And the Spanish decimal commas read as the English-style values: 23.08 USD over 2025-06-08 .. 2025-06-12
        var spanishWeek = StreamingSamples.Days("2025-06-08", "2025-06-12").Select(d => days[d]).ToList();
        Assert.Equal(23.08m, spanishWeek.Sum(r => Dec(r["spend_usd"])));
        Assert.Equal(12289, spanishWeek.Sum(r => StreamingSamples.Long(r["impressions"])));
        Assert.Equal(38, spanishWeek.Sum(r => StreamingSamples.Long(r["link_clicks"])));
        Assert.Equal(4.38m, Dec(days["2025-06-08"]["spend_usd"]));
        Assert.NotEqual(Dec(english["2025-06-08"]["Amount spent (USD)"]), Dec(days["2025-06-08"]["spend_usd"]));
    }

    [Fact]
    public void Should_Sum_The_Newest_Dump_Per_Ad_Set_And_Day_Into_One_Row_Per_Campaign_And_Day()
    {
        // Then unified has one row per date, date_stop, source, platform and campaign
        var unified = _lake.MarketingRows();
        Assert.Equal(unified.Count, unified.Select(r => (r["date"], r["date_stop"], r["source"], r["platform"], r["campaign_id"])).Distinct().Count());
        Assert.All(unified, r => Assert.Equal("meta", r["platform"]));

        // Given, per campaign and day, the sum over its ad sets of the newest dump having each ad set and day
        var expected = _lake.NewestAdSetDays()
            .GroupBy(d => (d.Key.Campaign, d.Key.Date))
            .ToDictionary(g => g.Key, g => (
                Spend: g.Sum(d => Dec(d.Value.Text("spend")!)),
                Impressions: g.Sum(d => StreamingSamples.Long(d.Value.Text("impressions")!)),
                Clicks: g.Sum(d => StreamingSamples.Long(d.Value.Text("clicks")!)),
                LinkClicks: g.Select(d => d.Value.Action("link_click")).Where(c => c is not null).Select(c => StreamingSamples.Long(c!)).ToList(),
                Conversions: g.Select(d => d.Value.Action("offsite_conversion.fb_pixel_custom")).Where(c => c is not null).Select(c => StreamingSamples.Long(c!)).ToList()));
        Assert.Equal(2 * 14, expected.Count);

        // Then the API day rows are exactly those, with those values
        var days = _lake.MarketingDays("meta_ads_api");
        Assert.Equal(expected.Keys.Order(), days.Keys.Order());
        Assert.All(expected, day =>
        {
            var row = days[day.Key];
            Assert.Equal(day.Value.Spend, Dec(row["spend_usd"]));
            Assert.Equal(day.Value.Impressions, StreamingSamples.Long(row["impressions"]));
            Assert.Equal(day.Value.Clicks, StreamingSamples.Long(row["clicks"]));
            Assert.Equal(day.Value.LinkClicks.Count == 0 ? string.Empty : day.Value.LinkClicks.Sum().ToString(CultureInfo.InvariantCulture), row["link_clicks"]);
            Assert.True(day.Value.LinkClicks.Sum() <= day.Value.Clicks);
            Assert.Equal(day.Value.Conversions.Count == 0 ? string.Empty : day.Value.Conversions.Sum().ToString(CultureInfo.InvariantCulture), row["conversions"]);
            Assert.Equal(Math.Round(day.Value.Spend / day.Value.Clicks, 6), Dec(row["cpc"]));
            Assert.Equal(Math.Round((decimal)day.Value.Clicks / day.Value.Impressions, 8), Dec(row["ctr"]));
        });

        // And the revised 2025-05-30 and 2025-05-31 come from the second dump, not the first
        foreach (var date in new[] { "2025-05-30", "2025-05-31" })
        {
            foreach (var campaign in new[] { CampaignA, CampaignB })
            {
                var first = _lake.MetaRows($"{FirstDump}/insights.json").Where(r => r.Text("campaign_id") == campaign && r.Text("date_start") == date).Sum(r => Dec(r.Text("spend")!));
                var second = _lake.MetaRows($"{SecondDump}/insights.json").Where(r => r.Text("campaign_id") == campaign && r.Text("date_start") == date).Sum(r => Dec(r.Text("spend")!));
                Assert.True(second > first);
                Assert.Equal(second, Dec(days[(campaign, date)]["spend_usd"]));
            }
        }

        // And each campaign's spend over its API day rows reconciles with the dumps: 2025-05-25 .. 2025-06-07
        Assert.Equal(429.18m, days.Where(d => d.Key.Campaign == CampaignA).Sum(d => Dec(d.Value["spend_usd"])));
        Assert.Equal(335.81m, days.Where(d => d.Key.Campaign == CampaignB).Sum(d => Dec(d.Value["spend_usd"])));
        Assert.Equal(StreamingSamples.Days("2025-05-25", "2025-06-07"), days.Keys.Where(k => k.Campaign == CampaignA).Select(k => k.Date).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Should_Name_The_Winning_Dump_In_Each_Unified_Row()
    {
        // Given the API day rows of 2025-05-25 (only the first dump has it) and 2025-06-02 (only the second has it)
        var days = _lake.MarketingDays("meta_ads_api");
        var fromFirst = days[(CampaignA, "2025-05-25")]["source_file"];
        var fromSecond = days[(CampaignA, "2025-06-02")]["source_file"];

        // Then their source_file, "the winning snapshot's raw file", tells the two dumps apart
        // (every dump's member has the same file name: the dump folder tells them apart)
        Assert.NotEqual(fromFirst, fromSecond);
    }

    [Fact]
    public void Should_Keep_The_Api_Rows_Over_The_English_Export_On_Shared_Days()
    {
        // Given the English export's rows of A and B on 2025-06-05 .. 2025-06-07, days the second dump also has
        var export = _lake.ExportRows(EnglishExport)
            .Where(r => (r["Campaign ID"] == CampaignA || r["Campaign ID"] == CampaignB) && string.CompareOrdinal(r["Reporting starts"], "2025-06-07") <= 0)
            .ToDictionary(r => (r["Campaign ID"], r["Reporting starts"]));
        Assert.Equal(6, export.Count);

        // Then unified keeps the meta_ads_api row on those days, and no Ads Manager row
        var api = _lake.MarketingDays("meta_ads_api");
        var manager = _lake.MarketingDays("meta_ads_manager");
        Assert.All(export.Keys, key =>
        {
            Assert.Contains(key, api.Keys);
            Assert.DoesNotContain(key, manager.Keys);
        });

        // And the precedence file lists each export row set aside, with both sides' figures
        var setAside = _lake.MarketingSetAside();
        Assert.Equal(export.Keys.Order(), setAside.Select(r => (r["campaign_id"], r["date"])).Order());
        Assert.All(setAside, row =>
        {
            var key = (row["campaign_id"], row["date"]);
            Assert.Equal(row["date"], row["date_stop"]);
            Assert.Equal("meta_ads_api", row["kept_source"]);
            Assert.Equal(Dec(api[key]["spend_usd"]), Dec(row["kept_spend_usd"]));
            Assert.Equal(api[key]["impressions"], row["kept_impressions"]);
            Assert.Equal("meta_ads_manager", row["set_aside_source"]);
            Assert.Equal(Dec(export[key]["Amount spent (USD)"]), Dec(row["set_aside_spend_usd"]));
            Assert.Equal(export[key]["Impressions"], row["set_aside_impressions"]);
            Assert.Equal(export[key]["Link clicks"], row["set_aside_link_clicks"]);
            Assert.Equal(string.Empty, row["set_aside_clicks"]);
            Assert.Equal(api[key]["clicks"], row["kept_clicks"]);
            Assert.Equal(api[key]["link_clicks"], row["kept_link_clicks"]);
            Assert.Equal(EnglishExport, row["set_aside_source_file"]);
        });
        Assert.Equal(6, _run.Step(BedrotPipeline.UnifyStep).Counts["removed.source_precedence"]);

        // And after 2025-06-07, which no dump covers, the export's A and B days are kept
        Assert.All(StreamingSamples.Days("2025-06-08", "2025-06-11"), day => Assert.Contains((CampaignA, day), manager.Keys));
        Assert.Equal(_lake.ExportRows(EnglishExport).Single(r => r["Campaign ID"] == CampaignA && r["Reporting starts"] == "2025-06-10")["Amount spent (USD)"],
            Dec(manager[(CampaignA, "2025-06-10")]["spend_usd"]).ToString("0.00", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Should_Compare_Link_Clicks_Not_All_Clicks_Between_The_Api_And_Ads_Manager()
    {
        // Given, for A and B on 2025-06-05 .. 2025-06-07, the link_click actions and all clicks of the
        // newest dump's ad-set rows, and the English export's Link clicks, each read from the raw files
        var newest = _lake.NewestAdSetDays();
        var keys = new[] { "2025-06-05", "2025-06-06", "2025-06-07" }
            .SelectMany(d => new[] { (CampaignA, d), (CampaignB, d) })
            .Order()
            .ToList();
        long ApiLinkClicks((string Campaign, string Date) key) => newest
            .Where(d => d.Key.Campaign == key.Campaign && d.Key.Date == key.Date)
            .Select(d => d.Value.Action("link_click")).Where(v => v is not null).Sum(v => StreamingSamples.Long(v!));
        long ApiClicks((string Campaign, string Date) key) => newest
            .Where(d => d.Key.Campaign == key.Campaign && d.Key.Date == key.Date)
            .Sum(d => StreamingSamples.Long(d.Value.Text("clicks")!));
        var export = _lake.ExportRows(EnglishExport)
            .Where(r => keys.Contains((r["Campaign ID"], r["Reporting starts"])))
            .ToDictionary(r => (r["Campaign ID"], r["Reporting starts"]), r => StreamingSamples.Long(r["Link clicks"]));

        // (as samples/README.md states them: A, B on the 5th, A, B on the 6th, A, B on the 7th)
        Assert.Equal([21L, 17L, 1L, 32L, 25L, 17L], keys.OrderBy(k => k.Item2, StringComparer.Ordinal).ThenBy(k => k.Item1 == CampaignB).Select(ApiLinkClicks));
        Assert.All(keys, key => Assert.Equal(ApiLinkClicks(key), export[key]));

        // Then the precedence file shows, on each of the 6 keys, the same link clicks on both sides
        var setAside = _lake.MarketingSetAside().ToDictionary(r => (r["campaign_id"], r["date"]));
        Assert.Equal(keys, setAside.Keys.Order());
        Assert.All(keys, key =>
        {
            Assert.Equal(ApiLinkClicks(key), StreamingSamples.Long(setAside[key]["kept_link_clicks"]));
            Assert.Equal(ApiLinkClicks(key), StreamingSamples.Long(setAside[key]["set_aside_link_clicks"]));

            // And all clicks, which only the API counts, are kept without an export figure to compare
            Assert.Equal(ApiClicks(key), StreamingSamples.Long(setAside[key]["kept_clicks"]));
            Assert.True(ApiClicks(key) > ApiLinkClicks(key));
            Assert.Equal(string.Empty, setAside[key]["set_aside_clicks"]);
        });

        // And the quality report finds no disagreement between the two sources
        var summary = JObject.Parse(File.ReadAllText(Directory.GetFiles(_lake.InLake("staging/quality_reports"), "validation_summary_*.json").Single()));
        var unified = summary["datasets"]!.Single(d => (string?)d["dataset"] == "marketing_unified");
        Assert.Equal(0, (long)unified["disagreements"]!);
        Assert.Equal(1d, (double)unified["consistency"]!);
        Assert.DoesNotContain(summary["disagreements"]!, d => ((string?)d["dataset"]) == "marketing_unified");
    }

    [Fact]
    public void Should_Reconcile_Control_Totals_Per_Source_Platform_Campaign_Grain_And_Month()
    {
        // Then every group reconciles: staging less what precedence set aside is unified, measure by measure
        var totals = _lake.MarketingTotals();
        Assert.All(totals, t => Assert.Equal("ok", t["status"]));
        foreach (var measure in new[] { "impressions", "clicks", "link_clicks", "spend_usd", "conversions" })
        {
            Assert.All(totals, t => Assert.Equal(Dec(t["staging_" + measure]) - Dec(t["superseded_" + measure]), Dec(t["unified_" + measure])));
        }

        // And the groups are the sources, campaigns, grains and months there are: range rows are never added to day rows
        Assert.Equal(
            [
                ("meta_ads_api", CampaignA, "day", "2025-05"), ("meta_ads_api", CampaignA, "day", "2025-06"), ("meta_ads_api", CampaignA, "range", "2025-06"),
                ("meta_ads_api", CampaignB, "day", "2025-05"), ("meta_ads_api", CampaignB, "day", "2025-06"), ("meta_ads_api", CampaignB, "range", "2025-06"),
                ("meta_ads_manager", CampaignC, "day", "2025-06"), ("meta_ads_manager", CampaignA, "day", "2025-06"), ("meta_ads_manager", CampaignB, "day", "2025-06"),
            ],
            totals.Select(t => (t["source"], t["campaign_id"], t["grain"], t["month"])));
        Assert.All(totals, t => Assert.Equal("meta", t["platform"]));

        // And the unified side of each group is what the unified rows of that group add up to
        var unified = _lake.MarketingRows();
        Assert.All(totals, t => Assert.Equal(
            unified.Where(r => r["source"] == t["source"] && r["campaign_id"] == t["campaign_id"] && r["grain"] == t["grain"]
                               && r["date"].StartsWith(t["month"], StringComparison.Ordinal))
                .Sum(r => Dec(r["spend_usd"])),
            Dec(t["unified_spend_usd"])));

        // And only the Ads Manager lost rows to precedence, exactly what the precedence file lists
        var setAside = _lake.MarketingSetAside();
        Assert.All(totals.Where(t => t["source"] == "meta_ads_api"), t => Assert.Equal(0m, Dec(t["superseded_spend_usd"])));
        Assert.Equal(setAside.Sum(r => Dec(r["set_aside_spend_usd"])), totals.Sum(t => Dec(t["superseded_spend_usd"])));
        Assert.Equal(setAside.Sum(r => StreamingSamples.Long(r["set_aside_impressions"])), totals.Sum(t => StreamingSamples.Long(t["superseded_impressions"])));
    }

    private static void CopyDump(TempLake lake, string from, string to)
    {
        Directory.CreateDirectory(lake.MetaLanding(to));
        foreach (var member in Members)
        {
            File.Copy(lake.MetaLanding($"{from}/{member}"), lake.MetaLanding($"{to}/{member}"));
        }
    }
}

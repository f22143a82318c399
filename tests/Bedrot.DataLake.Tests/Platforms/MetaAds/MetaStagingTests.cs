using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.MetaAds;

/// <summary>Meta Graph rows read in memory and converted with the real mapping and staging schemas.</summary>
public sealed class MetaStagingTests
{
    private static List<SourceRow> Campaigns(string json) =>
        new MetaCampaignsJson().Read(Some.Content("campaigns.json", json)).ToList();

    private static List<SourceRow> Insights(string json) =>
        new MetaInsightsJson().Read(Some.Content("insights.json", json)).ToList();

    public sealed class TheCampaignsDataset
    {
        private readonly RowConverter _converter = Some.Converter("metaads", "campaigns");

        private object?[] Converted(SourceRow source)
        {
            var (row, reject) = _converter.Convert(source);
            Assert.Null(reject);
            return row!;
        }

        [Fact]
        public void Should_Keep_Eighteen_Digit_Campaign_Ids_Byte_For_Byte()
        {
            // Given two campaigns with 18-digit IDs, one beyond a double's precision
            // When they are converted
            var rows = Campaigns(MetaReplies.CampaignsArray).Select(Converted).ToList();

            // Then each campaign_id is the text of the file
            Assert.Equal([MetaReplies.CampaignId, MetaReplies.LongCampaignId], rows.Select(r => _converter.Value(r, "campaign_id")));
        }

        [Fact]
        public void Should_Turn_Budgets_In_Cents_Into_Dollars()
        {
            // Given a daily budget "500" and a lifetime budget "25000", both in cents
            // When the campaigns are converted
            var rows = Campaigns(MetaReplies.CampaignsArray).Select(Converted).ToList();

            // Then they are 5 and 250 dollars, and the budget a campaign does not have is empty
            Assert.Equal(5m, _converter.Value(rows[0], "daily_budget_usd"));
            Assert.Null(_converter.Value(rows[0], "lifetime_budget_usd"));
            Assert.Equal(250m, _converter.Value(rows[1], "lifetime_budget_usd"));
            Assert.Null(_converter.Value(rows[1], "daily_budget_usd"));
        }

        [Fact]
        public void Should_Read_A_Timestamp_With_A_Minus_0700_Offset_As_Its_Utc_Instant()
        {
            // Given created_time "2025-05-23T06:57:56-0700"
            // When the campaign is converted
            var row = Converted(Campaigns(MetaReplies.CampaignsArray)[0]);

            // Then it is 13:57:56 UTC, held and written as UTC
            var created = Assert.IsType<DateTimeOffset>(_converter.Value(row, "created_time"));
            Assert.Equal(new DateTimeOffset(2025, 5, 23, 13, 57, 56, TimeSpan.Zero), created);
            Assert.Equal(TimeSpan.Zero, created.Offset);
            var field = _converter.Schema.Fields[_converter.Schema.IndexOf("created_time")];
            Assert.Equal("2025-05-23T13:57:56Z", FieldValues.Format(field, created));
        }

        [Fact]
        public void Should_Move_A_Late_Evening_Pacific_Time_To_The_Next_Utc_Day()
        {
            // Given created_time "2025-05-30T23:15:00-0700"
            // When the campaign is converted
            var row = Converted(Campaigns(MetaReplies.CampaignsArray)[1]);

            // Then it is 06:15 UTC on the 31st
            Assert.Equal(new DateTimeOffset(2025, 5, 31, 6, 15, 0, TimeSpan.Zero), _converter.Value(row, "created_time"));
        }

        [Fact]
        public void Should_Stage_Name_Status_Objective_And_Key()
        {
            // Given the second campaign, named "Sólveig - Launch"
            // When it is converted
            var row = Converted(Campaigns(MetaReplies.CampaignsReply)[1]);

            // Then its text fields are kept and the key is unaccented
            Assert.Equal("S\u00f3lveig - Launch", _converter.Value(row, "campaign_name"));
            Assert.Equal("solveig launch", _converter.Value(row, "campaign_key"));
            Assert.Equal("PAUSED", _converter.Value(row, "status"));
            Assert.Equal("OUTCOME_AWARENESS", _converter.Value(row, "objective"));
        }

        [Fact]
        public void Should_Reject_An_Unknown_Status()
        {
            // Given a campaign whose status is not one Meta uses
            var json = MetaReplies.CampaignsArray.Replace("\"ACTIVE\"", "\"RUNNING\"", StringComparison.Ordinal);

            // When it is converted
            var (row, reject) = _converter.Convert(Campaigns(json)[0]);

            // Then it is an enum reject at its locator
            Assert.Null(row);
            Assert.Equal(("$[0]", "enum", "status", "RUNNING"), (reject!.Locator, reject.Rule, reject.Field, reject.Value));
        }
    }

    public sealed class TheDailyDataset
    {
        private readonly RowConverter _converter = Some.Converter("metaads", "insights");

        private object?[] Converted(SourceRow source)
        {
            var (row, reject) = _converter.Convert(source);
            Assert.Null(reject);
            return row!;
        }

        private object? Value(object?[] row, string field) => _converter.Value(row, field);

        [Fact]
        public void Should_Type_The_Numbers_Meta_Writes_As_Strings()
        {
            // Given a day of 1321 impressions, 8 clicks and 3.41 spent
            // When it is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[0]);

            // Then counts are whole numbers and amounts decimals
            Assert.Equal(1321L, Value(row, "impressions"));
            Assert.Equal(8L, Value(row, "clicks"));
            Assert.Equal(3.41m, Value(row, "spend_usd"));
            Assert.Equal(1100L, Value(row, "reach"));
            Assert.Equal(1.200909m, Value(row, "frequency"));
            Assert.Equal(2.581378m, Value(row, "cpm"));
            Assert.Equal("meta", Value(row, "platform"));
        }

        [Fact]
        public void Should_Keep_Campaign_And_Adset_Ids_As_Text()
        {
            // Given insights rows with 18-digit campaign and ad set IDs
            // When they are converted
            var rows = Insights(MetaReplies.InsightsReply).Select(Converted).ToList();

            // Then the IDs are the strings of the file
            Assert.Equal([MetaReplies.CampaignId, MetaReplies.LongCampaignId], rows.Select(r => Value(r, "campaign_id")));
            Assert.Equal([MetaReplies.AdsetId, "987654321987659999"], rows.Select(r => Value(r, "adset_id")));
            Assert.All(rows, r => Assert.IsType<string>(Value(r, "adset_id")));
        }

        [Fact]
        public void Should_Make_The_Percentage_Ctr_A_Fraction()
        {
            // Given ctr "0.605602" (a percentage)
            // When the row is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[0]);

            // Then ctr is the fraction 0.00605602
            Assert.Equal(0.00605602m, Value(row, "ctr"));
        }

        [Fact]
        public void Should_Derive_Cpc_As_Spend_Over_Clicks()
        {
            // Given 3.41 spent for 8 clicks
            // When the row is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[0]);

            // Then cpc is 0.42625
            Assert.Equal(0.42625m, Value(row, "cpc"));
        }

        [Fact]
        public void Should_Stage_The_Link_Click_Action_As_Link_Clicks_And_Keep_All_Clicks()
        {
            // Given a day of 1321 impressions and 13 clicks in all (ctr 0.984103 %), 10 of them on the
            // ad's link, for 3.41 spent
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(
                ", \"clicks\": \"13\", \"ctr\": \"0.984103\"" +
                ", \"actions\": [{\"action_type\": \"link_click\", \"value\": \"10\"}, {\"action_type\": \"offsite_conversion.fb_pixel_custom\", \"value\": \"2\"}]"));

            // When the row is converted
            var (row, reject) = _converter.Convert(Assert.Single(Insights(json)), out var warnings);

            // Then clicks stays the 13 clicks of every kind and link_clicks is the link_click action's 10
            Assert.Null(reject);
            Assert.Equal(13L, Value(row!, "clicks"));
            Assert.Equal(10L, Value(row!, "link_clicks"));

            // And ctr and cpc go with all clicks, link_cpc with link clicks; the API states no link ctr
            Assert.Equal(0.00984103m, Value(row!, "ctr"));
            Assert.Equal(3.41m / 13m, Value(row!, "cpc"));
            Assert.Equal(0.341m, Value(row!, "link_cpc"));
            Assert.Null(Value(row!, "link_ctr"));
            Assert.Equal(2L, Value(row!, "conversions"));
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Take_Inline_Link_Clicks_When_A_Row_Has_No_Link_Click_Action()
        {
            // Given a row that states inline_link_clicks "6" and no link_click action
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"clicks\": \"9\", \"inline_link_clicks\": \"6\""));

            // When the row is converted
            var row = Converted(Assert.Single(Insights(json)));

            // Then link_clicks is 6 and clicks is still 9
            Assert.Equal(6L, Value(row, "link_clicks"));
            Assert.Equal(9L, Value(row, "clicks"));
        }

        [Fact]
        public void Should_Leave_Link_Clicks_Empty_When_The_Row_Reports_None()
        {
            // Given a row with clicks but neither a link_click action nor inline_link_clicks
            // When the row is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[1]);

            // Then link_clicks and link_cpc have no value (not 0)
            Assert.Null(Value(row, "link_clicks"));
            Assert.Null(Value(row, "link_cpc"));
        }

        [Fact]
        public void Should_Leave_Cpc_Empty_At_Zero_Clicks()
        {
            // Given a week with 12.50 spent and clicks "0"
            // When the row is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[1]);

            // Then clicks is 0 and cpc has no value
            Assert.Equal(0L, Value(row, "clicks"));
            Assert.Null(Value(row, "cpc"));
        }

        [Fact]
        public void Should_Take_Conversions_From_The_Custom_Pixel_Event_First()
        {
            // Given actions listing a purchase (1) before a custom pixel event (2)
            // When the row is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[0]);

            // Then conversions follow the mapping's order, not the list's: the pixel event's 2
            Assert.Equal(2L, Value(row, "conversions"));
        }

        [Fact]
        public void Should_Fall_Back_To_The_Next_Listed_Action_Type()
        {
            // Given actions with a link click and a purchase but no pixel event
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(
                ", \"actions\": [{\"action_type\": \"link_click\", \"value\": \"8\"}, {\"action_type\": \"purchase\", \"value\": \"3\"}]"));

            // When the row is converted
            var row = Converted(Assert.Single(Insights(json)));

            // Then conversions are the purchases
            Assert.Equal(3L, Value(row, "conversions"));
        }

        [Fact]
        public void Should_Leave_Conversions_Empty_Without_Actions()
        {
            // Given a row with no actions list, and one whose actions are only link clicks
            var onlyClicks = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"actions\": [{\"action_type\": \"link_click\", \"value\": \"8\"}]"));

            // When they are converted
            var without = Converted(Insights(MetaReplies.InsightsArray)[1]);
            var clicks = Converted(Assert.Single(Insights(onlyClicks)));

            // Then neither has conversions (not 0)
            Assert.Null(Value(without, "conversions"));
            Assert.Null(Value(clicks, "conversions"));
        }

        [Fact]
        public void Should_Keep_Both_Dates_Of_A_Range_And_Call_It_A_Range()
        {
            // Given a row from 2025-06-01 to 2025-06-07
            // When it is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[1]);

            // Then both dates are kept and the grain is "range"
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "date"));
            Assert.Equal(new DateOnly(2025, 6, 7), Value(row, "date_stop"));
            Assert.Equal("range", Value(row, "grain"));
        }

        [Fact]
        public void Should_Call_A_One_Day_Row_A_Day()
        {
            // Given a row whose date_start and date_stop are 2025-06-01
            // When it is converted
            var row = Converted(Insights(MetaReplies.InsightsArray)[0]);

            // Then the grain is "day", and year, month and weekday come from date
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "date"));
            Assert.Equal(new DateOnly(2025, 6, 1), Value(row, "date_stop"));
            Assert.Equal("day", Value(row, "grain"));
            Assert.Equal(2025, Convert.ToInt32(Value(row, "year"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(6, Convert.ToInt32(Value(row, "month"), System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal((long)DayOfWeek.Sunday, Value(row, "day_of_week"));
        }

        [Fact]
        public void Should_Reject_An_Impossible_Month_Naming_The_Date_Field()
        {
            // Given date_start "2025-13-01", which the raw contract's pattern lets through
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody().Replace("\"date_start\": \"2025-06-01\"", "\"date_start\": \"2025-13-01\"", StringComparison.Ordinal));

            // When the row is converted
            var (row, reject) = _converter.Convert(Assert.Single(Insights(json)));

            // Then staging rejects it as a type error on date (fed by date_start), with the value
            Assert.Null(row);
            Assert.Equal("$[0]", reject!.Locator);
            Assert.Equal("type", reject.Rule);
            Assert.Equal("date", reject.Field);
            Assert.Equal("2025-13-01", reject.Value);
            Assert.Contains("yyyy-MM-dd", reject.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Reject_A_Row_Without_Impressions()
        {
            // Given a Graph row whose impressions is null
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody().Replace("\"impressions\": \"1321\"", "\"impressions\": null", StringComparison.Ordinal));

            // When it is converted
            var (_, reject) = _converter.Convert(Assert.Single(Insights(json)));

            // Then impressions is required
            Assert.Equal(("required", "impressions"), (reject!.Rule, reject.Field));
        }

        [Fact]
        public void Should_Pass_An_Unreadable_Element_On_As_A_Structure_Reject()
        {
            // Given a bare array whose first element is not an object
            var source = Insights("[1]")[0];

            // When it is converted
            var (row, reject) = _converter.Convert(source);

            // Then the reject carries the reader's problem at its locator
            Assert.Null(row);
            Assert.Equal(("$[0]", "structure", "expected an object"), (reject!.Locator, reject.Rule, reject.Message));
        }
    }

    public sealed class TheCtrCheck
    {
        private const string Rule = "ctr_matches_clicks_over_impressions";

        private readonly RowConverter _converter = Some.Converter("metaads", "insights");

        private IReadOnlyList<RowReject> Warnings(string json)
        {
            var (row, reject) = _converter.Convert(Assert.Single(Insights(json)), out var warnings);
            Assert.Null(reject);
            Assert.NotNull(row);
            return warnings;
        }

        [Fact]
        public void Should_Warn_Once_When_Ctr_Does_Not_Match_Clicks_Over_Impressions()
        {
            // Given 8 clicks of 1321 impressions (0.6 %) stated as ctr "2.500000"
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"clicks\": \"8\", \"ctr\": \"2.500000\""));

            // When the row is converted
            var warning = Assert.Single(Warnings(json));

            // Then the one warning names the rule, the row, the field and the stated fraction
            Assert.Equal(Rule, warning.Rule);
            Assert.Equal("$[0]", warning.Locator);
            Assert.Equal("ctr", warning.Field);
            Assert.Equal("0.025", warning.Value);
            Assert.Contains("clicks / impressions is 0.00605602", warning.Message, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Keep_The_Row_It_Warns_About()
        {
            // Given the same inconsistent row
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"clicks\": \"8\", \"ctr\": \"2.500000\""));

            // When it is converted
            var (row, reject) = _converter.Convert(Assert.Single(Insights(json)), out _);

            // Then it is staged with its ctr as stated
            Assert.Null(reject);
            Assert.Equal(0.025m, _converter.Value(row!, "ctr"));
        }

        [Fact]
        public void Should_Not_Warn_About_A_Consistent_Six_Decimal_Ctr()
        {
            // Given 8 clicks of 1321 impressions stated as ctr "0.605602"
            // When the row is converted
            var (_, reject) = _converter.Convert(Insights(MetaReplies.InsightsArray)[0], out var warnings);

            // Then there is no warning
            Assert.Null(reject);
            Assert.Empty(warnings);
        }

        [Fact]
        public void Should_Not_Warn_At_Zero_Impressions()
        {
            // Given a row with no impressions and a ctr of 0
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"clicks\": \"0\", \"ctr\": \"0\"")
                .Replace("\"impressions\": \"1321\"", "\"impressions\": \"0\"", StringComparison.Ordinal));

            // When it is converted
            // Then there is nothing to compare with
            Assert.Empty(Warnings(json));
        }

        [Fact]
        public void Should_Not_Warn_When_Ctr_Is_Not_Stated()
        {
            // Given a row with clicks but no ctr
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"clicks\": \"8\""));

            // When it is converted
            // Then there is no warning
            Assert.Empty(Warnings(json));
        }

        [Fact]
        public void Should_Warn_Per_Row_With_The_Locator_Of_A_Graph_Reply()
        {
            // Given a Graph reply whose second row states a ctr ten times too high
            var json = MetaReplies.InsightsReply.Replace("\"ctr\": \"0\"", "\"ctr\": \"0.100000\"", StringComparison.Ordinal)
                .Replace("\"clicks\": \"0\"", "\"clicks\": \"1\"", StringComparison.Ordinal);

            // When every row is converted
            var warnings = Insights(json).SelectMany(source =>
            {
                _converter.Convert(source, out var found);
                return found;
            }).ToList();

            // Then only that row is warned about, by its path in data
            var warning = Assert.Single(warnings);
            Assert.Equal("$.data[1]", warning.Locator);
            Assert.Equal(Rule, warning.Rule);
        }
    }
}

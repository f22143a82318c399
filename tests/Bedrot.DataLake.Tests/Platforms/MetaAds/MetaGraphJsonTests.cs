using System.Globalization;
using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Platforms.MetaAds;

public sealed class MetaGraphJsonTests
{
    private static List<SourceRow> Read(RawFileKind kind, string fileName, string json) =>
        kind.Read(Some.Content(fileName, json)).ToList();

    public sealed class TheReadMethod
    {
        [Fact]
        public void Should_Read_The_Same_Campaigns_From_A_Bare_Array_And_A_Graph_Reply()
        {
            // Given the same two campaigns as an SDK dump and as a Graph API reply with paging
            // When both are read
            var dump = Read(new MetaCampaignsJson(), "campaigns.json", MetaReplies.CampaignsArray);
            var reply = Read(new MetaCampaignsJson(), "campaigns_20250610.json", MetaReplies.CampaignsReply);

            // Then both give the same rows, located by their own JSON paths
            Assert.Equal(2, dump.Count);
            Assert.Equal(["$[0]", "$[1]"], dump.Select(r => r.Locator));
            Assert.Equal(["$.data[0]", "$.data[1]"], reply.Select(r => r.Locator));
            for (var i = 0; i < dump.Count; i++)
            {
                Assert.Equal(dump[i].Fields.OrderBy(f => f.Key, StringComparer.Ordinal), reply[i].Fields.OrderBy(f => f.Key, StringComparer.Ordinal));
            }

            Assert.All(dump.Concat(reply), row => Assert.Null(row.Problem));
            Assert.All(dump.Concat(reply), row => Assert.Equal("campaigns", row.Record));
        }

        [Fact]
        public void Should_Read_The_Same_Insights_From_A_Bare_Array_And_A_Graph_Reply()
        {
            // Given the same insights as an SDK dump and as a Graph API reply
            // When both are read
            var dump = Read(new MetaInsightsJson(), "insights.json", MetaReplies.InsightsArray);
            var reply = Read(new MetaInsightsJson(), "insights_20250610.json", MetaReplies.InsightsReply);

            // Then the rows have the same fields, and the reply's paging is not a row
            Assert.Equal(["$[0]", "$[1]"], dump.Select(r => r.Locator));
            Assert.Equal(["$.data[0]", "$.data[1]"], reply.Select(r => r.Locator));
            Assert.Equal(dump.Select(r => r.Fields["spend"]), reply.Select(r => r.Fields["spend"]));
            Assert.Equal(dump[0].Fields.Keys.Order(StringComparer.Ordinal), reply[0].Fields.Keys.Order(StringComparer.Ordinal));
            Assert.All(reply, row => Assert.False(row.Fields.ContainsKey("paging")));
            Assert.All(reply, row => Assert.Equal("insights", row.Record));
        }

        [Fact]
        public void Should_Keep_Eighteen_Digit_Ids_As_Written()
        {
            // Given campaigns and ad sets with 18-digit IDs, one whose digits a double cannot hold
            var asDouble = double.Parse(MetaReplies.LongCampaignId, CultureInfo.InvariantCulture).ToString("F0", CultureInfo.InvariantCulture);
            Assert.NotEqual(MetaReplies.LongCampaignId, asDouble);

            // When the insights are read
            var rows = Read(new MetaInsightsJson(), "insights.json", MetaReplies.InsightsArray);

            // Then every ID is the text of the file, byte for byte
            Assert.Equal([MetaReplies.CampaignId, MetaReplies.LongCampaignId], rows.Select(r => r.Fields["campaign_id"]));
            Assert.Equal([MetaReplies.AdsetId, "987654321987659999"], rows.Select(r => r.Fields["adset_id"]));
        }

        [Fact]
        public void Should_Keep_Numbers_As_The_Strings_Meta_Wrote()
        {
            // Given insights whose numbers are strings with trailing zeros
            // When they are read
            var rows = Read(new MetaInsightsJson(), "insights.json", MetaReplies.InsightsArray);

            // Then each value is the text as written, not a reformatted number
            Assert.Equal(["3.41", "12.50"], rows.Select(r => r.Fields["spend"]));
            Assert.Equal(["1321", "5165"], rows.Select(r => r.Fields["impressions"]));
            Assert.Equal("0.605602", rows[0].Fields["ctr"]);
            Assert.Equal("1.200909", rows[0].Fields["frequency"]);
        }

        [Fact]
        public void Should_Flatten_Actions_To_One_Field_Per_Action_Type()
        {
            // Given a row whose actions list a link click, a purchase and a custom pixel event
            // When it is read
            var row = Read(new MetaInsightsJson(), "insights.json", MetaReplies.InsightsArray)[0];

            // Then each action is a field of its own, and the list itself is not
            Assert.Equal("8", row.Fields["actions.link_click"]);
            Assert.Equal("1", row.Fields["actions.purchase"]);
            Assert.Equal("2", row.Fields["actions.offsite_conversion.fb_pixel_custom"]);
            Assert.False(row.Fields.ContainsKey("actions"));
        }

        [Fact]
        public void Should_Read_A_Row_Without_Actions_With_No_Action_Fields()
        {
            // Given a row without an actions list
            // When it is read
            var row = Read(new MetaInsightsJson(), "insights.json", MetaReplies.InsightsArray)[1];

            // Then it has no action fields at all
            Assert.DoesNotContain(row.Fields.Keys, key => key.StartsWith("actions", StringComparison.Ordinal));
            Assert.Null(row.Problem);
        }

        [Fact]
        public void Should_Keep_Budgets_In_Cents_And_Timestamps_As_Text()
        {
            // Given campaigns with budgets in cents and timestamps with an offset
            // When they are read
            var rows = Read(new MetaCampaignsJson(), "campaigns.json", MetaReplies.CampaignsArray);

            // Then the reader leaves both as written; staging converts them
            Assert.Equal("500", rows[0].Fields["daily_budget"]);
            Assert.Equal("25000", rows[1].Fields["lifetime_budget"]);
            Assert.Equal("2025-05-23T06:57:56-0700", rows[0].Fields["created_time"]);
            Assert.Equal("S\u00f3lveig - Launch", rows[1].Fields["name"]);
        }

        [Fact]
        public void Should_Keep_A_Nested_Object_As_Its_Json_Text()
        {
            // Given an ad set with a targeting object
            // When it is read
            var row = Assert.Single(Read(new MetaAdsetsJson(), "adsets.json", MetaReplies.AdsetsArray));

            // Then the object is one field holding its JSON
            Assert.Equal("""{"geo_locations":{"countries":["US"]},"age_min":18,"age_max":34}""", row.Fields["targeting"]);
            Assert.Equal("adsets", row.Record);
        }

        [Fact]
        public void Should_Read_A_Bom_Prefixed_Dump()
        {
            // Given an insights dump saved with a UTF-8 BOM
            var json = "\uFEFF" + MetaReplies.InsightsArray;

            // When it is validated and read
            var problems = new MetaInsightsJson().Validate(Some.Content("insights.json", json));
            var rows = Read(new MetaInsightsJson(), "insights.json", json);

            // Then it is the same file as without the BOM
            Assert.Empty(problems);
            Assert.Equal([MetaReplies.CampaignId, MetaReplies.LongCampaignId], rows.Select(r => r.Fields["campaign_id"]));
        }

        [Fact]
        public void Should_Mark_An_Element_That_Is_Not_An_Object_As_Unreadable()
        {
            // Given a bare array whose first element is a number
            var json = "[1, {" + MetaReplies.InsightBody() + "}]";

            // When it is read
            var rows = Read(new MetaInsightsJson(), "insights.json", json);

            // Then that element is unreadable at its path and the next one is read
            Assert.Equal("$[0]", rows[0].Locator);
            Assert.Equal("expected an object", rows[0].Problem);
            Assert.Null(rows[1].Problem);
            Assert.Equal(MetaReplies.CampaignId, rows[1].Fields["campaign_id"]);
        }

        [Theory]
        [InlineData(MetaReplies.ExpiredToken)]
        [InlineData("""{"rows": []}""")]
        [InlineData("""{"data": {"id": "1"}}""")]
        [InlineData("42")]
        public void Should_Not_Throw_For_A_Document_That_Is_Not_Rows(string json)
        {
            // Given an error reply, an object without data, data that is not a list, or a bare number
            // When it is read
            var read = Record.Exception(() => Read(new MetaInsightsJson(), "insights.json", json));

            Assert.Null(read);
        }
    }

    public sealed class TheValidateMethod
    {
        private static IReadOnlyList<RawProblem> Validate(RawFileKind kind, string json) =>
            kind.Validate(Some.Content("insights.json", json));

        [Fact]
        public void Should_Accept_Both_Shapes_Of_Every_Kind()
        {
            // Given dumps and Graph replies of campaigns and insights, and dumps of ad sets and ads
            // When they are validated
            // Then there is nothing to report
            Assert.Empty(Validate(new MetaCampaignsJson(), MetaReplies.CampaignsArray));
            Assert.Empty(Validate(new MetaCampaignsJson(), MetaReplies.CampaignsReply));
            Assert.Empty(Validate(new MetaInsightsJson(), MetaReplies.InsightsArray));
            Assert.Empty(Validate(new MetaInsightsJson(), MetaReplies.InsightsReply));
            Assert.Empty(Validate(new MetaAdsetsJson(), MetaReplies.AdsetsArray));
            Assert.Empty(Validate(new MetaAdsJson(), MetaReplies.AdsArray));
        }

        [Fact]
        public void Should_Name_An_Error_Reply_With_Its_Message_And_Code()
        {
            // Given the Graph API's reply to an expired token
            // When it is validated as campaigns
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), MetaReplies.ExpiredToken));

            // Then the one problem is at $.error and repeats Meta's message, type and code
            Assert.Equal("$.error", problem.Where);
            Assert.Contains("Error validating access token: The token expired", problem.Problem, StringComparison.Ordinal);
            Assert.Contains("OAuthException", problem.Problem, StringComparison.Ordinal);
            Assert.Contains("code 190", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_A_Row_Missing_Its_Campaign_Id_In_A_Bare_Array()
        {
            // Given an insights row without campaign_id
            var json = "[\n  {\"date_start\": \"2025-06-01\", \"date_stop\": \"2025-06-01\", \"spend\": \"1\", \"impressions\": \"2\"}\n]";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the problem is at that row's campaign_id, on its line
            Assert.Equal("$[0].campaign_id (line 2)", problem.Where);
            Assert.Equal("required property 'campaign_id' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_A_Row_Missing_Its_Campaign_Id_In_A_Graph_Reply()
        {
            // Given the same row inside {"data": [...]}
            var json = "{\"data\": [\n  {\"date_start\": \"2025-06-01\", \"date_stop\": \"2025-06-01\", \"spend\": \"1\", \"impressions\": \"2\"}\n]}";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the path goes through data
            Assert.Equal("$.data[0].campaign_id (line 2)", problem.Where);
            Assert.Equal("required property 'campaign_id' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_A_Spend_With_A_Decimal_Comma()
        {
            // Given a spend written "3,41"
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody().Replace("\"3.41\"", "\"3,41\"", StringComparison.Ordinal));

            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the problem is at that spend and says its form is wrong
            Assert.Equal("$[0].spend (line 2)", problem.Where);
            Assert.StartsWith("the value does not have the expected form (pattern ", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Let_An_Impossible_Month_Through_The_Contract()
        {
            // Given date_start "2025-13-01": four digits, two, two, as the contract's pattern asks
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody().Replace("\"date_start\": \"2025-06-01\"", "\"date_start\": \"2025-13-01\"", StringComparison.Ordinal));

            // When it is validated
            var problems = Validate(new MetaInsightsJson(), json);

            // Then the contract does not catch it (staging rejects it: see MetaStagingTests)
            Assert.Empty(problems);
        }

        [Theory]
        [InlineData(" 120212345678901234")]
        [InlineData("12021234567890123A")]
        [InlineData("")]
        public void Should_Name_A_Campaign_Id_That_Is_Not_Digits(string id)
        {
            // Given a campaign whose ID is not only digits
            var json = "[\n  {\"id\": \"" + id + "\", \"name\": \"A\"}\n]";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), json));

            // Then the problem is at that ID
            Assert.Equal("$[0].id (line 2)", problem.Where);
            Assert.StartsWith("the value does not have the expected form", problem.Problem, StringComparison.Ordinal);
        }

        [Theory]
        [InlineData("[\n  {\"id\": 120212345678901234, \"name\": \"A\"}\n]", "$[0].id (line 2)")]
        [InlineData("{\"data\": [\n  {\"id\": 120212345678901234, \"name\": \"A\"}\n]}", "$.data[0].id (line 2)")]
        public void Should_Reject_A_Campaign_Id_Written_As_A_Json_Number(string json, string where)
        {
            // Given a campaign whose 18-digit ID is a JSON number, not a string
            // When it is validated
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), json));

            // Then the contract asks for a string at that ID
            Assert.Equal(where, problem.Where);
            Assert.Equal("expected a string", problem.Problem);
        }

        [Fact]
        public void Should_Reject_An_Adset_Id_Written_As_A_Json_Number()
        {
            // Given an insights row whose adset_id is a number
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"adset_id\": 120212345678905678"));

            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the contract asks for a string there
            Assert.Equal("$[0].adset_id (line 2)", problem.Where);
            Assert.Equal("expected a string", problem.Problem);
        }

        [Fact]
        public void Should_Name_The_Path_Of_An_Id_Too_Long_For_Any_Number()
        {
            // Given a campaign ID written as a 24-digit JSON number
            var json = "[\n  {\"id\": 120212345678901234567890, \"name\": \"A\"}\n]";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), json));

            // Then the problem names the number at its JSON path
            Assert.Contains("120212345678901234567890", problem.Problem, StringComparison.Ordinal);

            Assert.Equal("$[0].id (line 2)", problem.Where);
        }

        [Fact]
        public void Should_Name_A_Document_Without_Data()
        {
            // Given an object that is neither a list of rows nor {"data": [...]}
            var json = """{"rows": [{"id": "1", "name": "A"}]}""";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), json));

            // Then the problem says data is missing
            Assert.Equal("$.data (line 1)", problem.Where);
            Assert.Equal("required property 'data' is missing", problem.Problem);
        }

        [Fact]
        public void Should_Name_Data_That_Is_Not_A_List()
        {
            // Given a reply whose data is one object
            var json = """{"data": {"id": "1", "name": "A"}}""";

            // When it is validated
            var problem = Assert.Single(Validate(new MetaCampaignsJson(), json));

            // Then the problem is at $.data
            Assert.Equal("$.data (line 1)", problem.Where);
            Assert.Equal("expected an array", problem.Problem);
        }

        [Theory]
        [InlineData("42")]
        [InlineData("\"campaigns\"")]
        [InlineData("true")]
        public void Should_Name_A_Document_That_Is_Neither_Shape(string json)
        {
            // Given a document that is a bare number, string or boolean
            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the problem is at the root and says no allowed shape fits
            Assert.Equal("$ (line 1)", problem.Where);
            Assert.StartsWith("the value has none of the allowed shapes", problem.Problem, StringComparison.Ordinal);
        }

        [Fact]
        public void Should_Name_An_Empty_File()
        {
            // Given an empty insights file
            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), "  \n"));

            // Then the file is named as empty
            Assert.Equal(new RawProblem("file", "the file is empty; expected a JSON document"), problem);
        }

        [Fact]
        public void Should_Name_An_Action_Value_That_Is_Not_A_Number()
        {
            // Given an action whose value is "two"
            var json = MetaReplies.OneInsight(MetaReplies.InsightBody(", \"actions\": [{\"action_type\": \"purchase\", \"value\": \"two\"}]"));

            // When it is validated
            var problem = Assert.Single(Validate(new MetaInsightsJson(), json));

            // Then the problem is at that action's value
            Assert.Equal("$[0].actions[0].value (line 2)", problem.Where);
        }
    }

    public sealed class TheRecognizer
    {
        private readonly Recognizer _recognizer = new(PlatformCatalog.Kinds);

        private RawFileKind? Recognize(string fileName, string json) => _recognizer.Recognize(fileName, MetaReplies.Bytes(json));

        [Theory]
        [InlineData("campaigns.json")]
        [InlineData("campaigns_20250610.json")]
        [InlineData("campaigns_20250610_101500.json")]
        [InlineData("Campaigns.JSON")]
        public void Should_Recognise_Campaigns(string fileName)
        {
            // Given campaigns under the dump name or a dated name
            // When they are recognised, as a dump and as a Graph reply
            // Then both are campaigns
            Assert.IsType<MetaCampaignsJson>(Recognize(fileName, MetaReplies.CampaignsArray));
            Assert.IsType<MetaCampaignsJson>(Recognize(fileName, MetaReplies.CampaignsReply));
        }

        [Theory]
        [InlineData("insights.json")]
        [InlineData("insights_20250610.json")]
        public void Should_Recognise_Insights(string fileName)
        {
            // Given insights under the dump name or a dated name
            // When they are recognised
            // Then they are insights, in either shape
            Assert.IsType<MetaInsightsJson>(Recognize(fileName, MetaReplies.InsightsArray));
            Assert.IsType<MetaInsightsJson>(Recognize(fileName, MetaReplies.InsightsReply));
        }

        [Fact]
        public void Should_Recognise_Ad_Sets_And_Ads_Apart()
        {
            // Given ad sets and ads under their dump names
            // When they are recognised
            // Then each is its own kind
            Assert.IsType<MetaAdsetsJson>(Recognize("adsets.json", MetaReplies.AdsetsArray));
            Assert.IsType<MetaAdsJson>(Recognize("ads.json", MetaReplies.AdsArray));
            Assert.IsType<MetaAdsetsJson>(Recognize("adsets_20250610.json", MetaReplies.AdsetsArray));
            Assert.IsType<MetaAdsJson>(Recognize("ads_20250610.json", MetaReplies.AdsArray));
        }

        [Fact]
        public void Should_Not_Take_Ads_For_Ad_Sets_By_Name()
        {
            // Given the two kinds' name patterns, "ads" being the start of "adsets"
            // When each is asked about the other's name
            // Then neither claims it
            Assert.False(new MetaAdsetsJson().MatchesName("ads.json"));
            Assert.False(new MetaAdsJson().MatchesName("adsets.json"));
            Assert.False(new MetaAdsJson().MatchesName("adsets_20250610.json"));
            Assert.True(new MetaAdsJson().MatchesName("ads.json"));
            Assert.True(new MetaAdsetsJson().MatchesName("adsets.json"));
        }

        [Fact]
        public void Should_Not_Take_Ads_For_Ad_Sets_By_Content()
        {
            // Given ad set and ad rows
            // When each kind looks at the other's content
            // Then neither claims it
            Assert.False(new MetaAdsetsJson().MatchesContent(MetaReplies.Bytes(MetaReplies.AdsArray)));
            Assert.False(new MetaAdsJson().MatchesContent(MetaReplies.Bytes(MetaReplies.AdsetsArray)));
        }

        [Fact]
        public void Should_Name_An_Error_Reply_By_Its_File_Name()
        {
            // Given an expired-token reply saved as campaigns.json
            // When it is recognised
            // Then the name decides, so the validator can say what is wrong
            Assert.IsType<MetaCampaignsJson>(Recognize("campaigns.json", MetaReplies.ExpiredToken));
        }

        [Theory]
        [InlineData("campaigns_2025.json")]
        [InlineData("campaigns-20250610.json")]
        [InlineData("my_campaigns.json")]
        public void Should_Not_Match_Other_Names(string fileName)
        {
            // Given a name that is not campaigns[_YYYYMMDD[_HHMMSS]].json
            // When the campaigns kind is asked
            // Then it does not claim the name
            Assert.False(new MetaCampaignsJson().MatchesName(fileName));
        }
    }

    public sealed class TheDumpFolder
    {
        public static TheoryData<MetaGraphJson, string> Members => new()
        {
            { new MetaCampaignsJson(), "campaigns.json" },
            { new MetaAdsetsJson(), "adsets.json" },
            { new MetaAdsJson(), "ads.json" },
            { new MetaInsightsJson(), "insights.json" },
        };

        [Theory]
        [MemberData(nameof(Members))]
        public void Should_Name_Each_Member_Of_A_Dump(MetaGraphJson kind, string member)
        {
            // Given a kind of the SDK dump
            // When its member name is asked
            // Then it is the file name inside the dump folder
            Assert.Equal(member, kind.UnitMember);
            Assert.Equal("metaads", kind.Platform);
        }

        [Theory]
        [InlineData("meta_ads_dump_20250601_101500", true)]
        [InlineData("meta_ads_dump_2025", false)]
        [InlineData("meta_ads_dump_20250601", false)]
        [InlineData("meta_ads_dump_20250601_101500_copy", false)]
        [InlineData("x_meta_ads_dump_20250601_101500", false)]
        public void Should_Match_Only_A_Timestamped_Dump_Folder(string folder, bool matches)
        {
            // Given a folder name
            // When each dump kind's folder pattern is applied
            // Then only meta_ads_dump_YYYYMMDD_HHMMSS matches
            foreach (var kind in new MetaGraphJson[] { new MetaCampaignsJson(), new MetaAdsetsJson(), new MetaAdsJson(), new MetaInsightsJson() })
            {
                Assert.NotNull(kind.UnitFolder);
                Assert.Equal(matches, kind.UnitFolder!.IsMatch(folder));
            }
        }
    }
}

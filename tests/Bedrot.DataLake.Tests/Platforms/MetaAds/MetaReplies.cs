using System.Text;

namespace Bedrot.DataLake.Tests.Platforms.MetaAds;

/// <summary>
/// Small Meta Marketing API results built in memory, shaped like the real ones: every number a
/// string, 18-digit IDs, budgets in cents, timestamps with a <c>-0700</c> offset.
/// </summary>
internal static class MetaReplies
{
    public const string CampaignId = "120212345678901234";

    /// <summary>An ID whose leading digits a double cannot hold: it would come back as ...272.</summary>
    public const string LongCampaignId = "987654321987654321";

    public const string AdsetId = "120212345678905678";

    /// <summary>Two campaigns as a bare array (an SDK dump): one with a daily budget, one with a lifetime budget.</summary>
    public const string CampaignsArray = """
        [
          {
            "id": "120212345678901234",
            "name": "GLASS ANGEL - Streams",
            "status": "ACTIVE",
            "objective": "OUTCOME_TRAFFIC",
            "daily_budget": "500",
            "created_time": "2025-05-23T06:57:56-0700",
            "start_time": "2025-05-23T06:57:56-0700",
            "updated_time": "2025-06-02T10:01:12-0700"
          },
          {
            "id": "987654321987654321",
            "name": "Sólveig - Launch",
            "status": "PAUSED",
            "objective": "OUTCOME_AWARENESS",
            "lifetime_budget": "25000",
            "created_time": "2025-05-30T23:15:00-0700"
          }
        ]
        """;

    /// <summary>The same two campaigns as a Graph API reply: <c>{"data": [...], "paging": {...}}</c>.</summary>
    public static string CampaignsReply => Wrapped(CampaignsArray);

    /// <summary>
    /// Insights as a bare array: a day of one ad set (8 clicks of 1321 impressions, ctr 0.605602 %,
    /// a purchase listed before a custom pixel event) and a week of another with no clicks and no actions.
    /// </summary>
    public const string InsightsArray = """
        [
          {
            "campaign_id": "120212345678901234",
            "campaign_name": "GLASS ANGEL - Streams",
            "adset_id": "120212345678905678",
            "adset_name": "US 18-34",
            "date_start": "2025-06-01",
            "date_stop": "2025-06-01",
            "impressions": "1321",
            "clicks": "8",
            "spend": "3.41",
            "reach": "1100",
            "frequency": "1.200909",
            "cpm": "2.581378",
            "ctr": "0.605602",
            "actions": [
              {"action_type": "link_click", "value": "8"},
              {"action_type": "purchase", "value": "1"},
              {"action_type": "offsite_conversion.fb_pixel_custom", "value": "2"}
            ]
          },
          {
            "campaign_id": "987654321987654321",
            "campaign_name": "Sólveig - Launch",
            "adset_id": "987654321987659999",
            "adset_name": "DE all",
            "date_start": "2025-06-01",
            "date_stop": "2025-06-07",
            "impressions": "5165",
            "clicks": "0",
            "spend": "12.50",
            "ctr": "0"
          }
        ]
        """;

    /// <summary>The same insights as a Graph API reply.</summary>
    public static string InsightsReply => Wrapped(InsightsArray);

    public const string AdsetsArray = """
        [
          {
            "id": "120212345678905678",
            "campaign_id": "120212345678901234",
            "name": "US 18-34",
            "daily_budget": "500",
            "optimization_goal": "LINK_CLICKS",
            "targeting": {"geo_locations": {"countries": ["US"]}, "age_min": 18, "age_max": 34}
          }
        ]
        """;

    public const string AdsArray = """
        [
          {
            "id": "120212345678907777",
            "adset_id": "120212345678905678",
            "campaign_id": "120212345678901234",
            "name": "GLASS ANGEL - video 1",
            "creative": {"id": "120212345678908888"}
          }
        ]
        """;

    /// <summary>What the Graph API returns for an expired token.</summary>
    public const string ExpiredToken = """
        {
          "error": {
            "message": "Error validating access token: The token expired on Monday, 02-Jun-25 10:00:00 PDT.",
            "type": "OAuthException",
            "code": 190,
            "error_subcode": 463,
            "fbtrace_id": "AbCdEfGh"
          }
        }
        """;

    /// <summary>One insights row, inside a bare array, with <paramref name="body"/> as its properties.</summary>
    public static string OneInsight(string body) => "[\n  {" + body + "}\n]";

    /// <summary>The minimal valid insights row properties, followed by <paramref name="more"/>.</summary>
    public static string InsightBody(string more = "") =>
        "\"campaign_id\": \"120212345678901234\", \"date_start\": \"2025-06-01\", \"date_stop\": \"2025-06-01\", " +
        "\"spend\": \"3.41\", \"impressions\": \"1321\"" + more;

    public static byte[] Bytes(string json) => Encoding.UTF8.GetBytes(json);

    private static string Wrapped(string rows) =>
        "{\n\"data\": " + rows + ",\n\"paging\": {\"cursors\": {\"before\": \"QVFIUk1\", \"after\": \"QVFIUkx\"}, " +
        "\"next\": \"https://graph.facebook.com/v19.0/act_1/insights?after=QVFIUkx\"}\n}";
}

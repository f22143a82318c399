using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Platforms.Linktree;
using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Platforms.TikTok;
using Bedrot.DataLake.Platforms.TooLost;
using Bedrot.DataLake.Platforms.YouTube;
using Bedrot.DataLake.Raw;

namespace Bedrot.DataLake.Platforms;

/// <summary>Every raw file kind the product knows: the one place that lists the platforms.</summary>
public static class PlatformCatalog
{
    public static IReadOnlyList<RawFileKind> Kinds { get; } =
    [
        new BankDetailsTsv(),
        new StreamsStatsPage(),
        new AppleMusicStatsPage(),
        new SpotifySeriesJson(),
        new AppleMusicJson(),
        new AudienceTimelineCsv(),
        new SongsCsv(),
        new PlaylistsCsv(),
        new SongTimelineCsv(),
        new MetaCampaignsJson(),
        new MetaAdsetsJson(),
        new MetaAdsJson(),
        new MetaInsightsJson(),
        new AdsManagerCsv(),
        new StudioExportZip(),
        new VideoPerformanceCsv(),
        new AnalyticsApiJson(),
        new StudioTableCsv(),
        new StudioChartCsv(),
        new StudioTotalsCsv(),
        new AdminGraphqlJson(),
    ];
}

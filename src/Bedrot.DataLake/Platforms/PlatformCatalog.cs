using Bedrot.DataLake.Platforms.DistroKid;
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
    ];
}

using Bedrot.DataLake.Platforms;
using Bedrot.DataLake.Platforms.DistroKid;
using Bedrot.DataLake.Platforms.Linktree;
using Bedrot.DataLake.Platforms.MetaAds;
using Bedrot.DataLake.Platforms.SpotifyForArtists;
using Bedrot.DataLake.Platforms.TikTok;
using Bedrot.DataLake.Platforms.TooLost;
using Bedrot.DataLake.Platforms.YouTube;
using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>
/// For one raw file kind: any bytes under a name the kind claims are either accepted and read into
/// well-formed rows, or rejected with reasons; nothing throws. Each kind of the catalog has a
/// subclass below, so each runs, and fails, on its own.
/// </summary>
public abstract class RawFileKindProperties<TKind>
    where TKind : RawFileKind
{
    protected RawFileKindProperties()
    {
        Kind = PlatformCatalog.Kinds.OfType<TKind>().Single();
        Samples = ParserInputs.SamplesOf(Kind);
    }

    protected RawFileKind Kind { get; }

    private List<(DatasetMapping Dataset, RowConverter Converter)>? _converters;

    /// <summary>The real samples of the kind in samples/landing; their names are names the kind claims.</summary>
    protected IReadOnlyList<Sample> Samples { get; }

    private string ClaimedName(int pick) => Samples[Math.Abs(pick % Samples.Count)].FileName;

    [Fact]
    public void Should_Have_A_Real_Sample_Under_A_Name_It_Claims()
    {
        // Given the landing samples
        // When the kind's own are picked by name and content
        // Then there is at least one to mutate
        Assert.NotEmpty(Samples);
        Assert.All(Samples, s => Assert.True(Kind.MatchesName(s.FileName), s.FileName));
    }

    [Property(MaxTest = 300)]
    public void Should_Accept_Or_Reject_Arbitrary_Bytes_Without_Throwing(byte[] bytes, int pick)
    {
        // Given any bytes under a name the kind claims
        // When they are validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        _ = ParserContract.Holds(Kind, ClaimedName(pick), bytes ?? []);
    }

    [Property(MaxTest = 200)]
    public Property Should_Accept_Or_Reject_Spliced_Text_Without_Throwing() =>
        // Given a prefix of a real sample followed by quotes, separators, brackets, line ends, bad UTF-8 and slices of the sample
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(ParserInputs.Spliced(Samples), spliced =>
            Prop.Classify(true, ParserContract.Holds(Kind, spliced.Sample.FileName, spliced.Bytes()), "accepted"));

    [Property(MaxTest = 200)]
    public Property Should_Accept_Or_Reject_Any_Text_In_The_First_Line_Without_Throwing() =>
        // Given a real sample with any well-formed text inserted into its first line (a column name, a JSON key, the doctype)
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(ParserInputs.TextInHeader(Samples), text =>
            Prop.Classify(true, ParserContract.Holds(Kind, text.Sample.FileName, text.Bytes()), "accepted"));

    [Property(MaxTest = 300)]
    public Property Should_Accept_Or_Reject_A_Mutated_Sample_Without_Throwing() =>
        // Given a real sample with flipped bytes, truncation, inserted tokens or bytes, a duplicated slice, or another encoding
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(ParserInputs.Mutated(Samples), mutated =>
            Prop.Classify(true, ParserContract.Holds(Kind, mutated.Sample.FileName, mutated.Bytes()), "accepted"));

    [Property(MaxTest = 200)]
    public Property Should_Read_A_Mutated_Sample_Without_Throwing_Even_When_It_Is_Invalid() =>
        // Given a mutated real sample, valid or not
        // When it is read without validating first
        // Then each row has a locator (and an unreadable one a reason), and nothing throws: Read never throws for bad data either
        Prop.ForAll(ParserInputs.Mutated(Samples), mutated => ParserContract.ReadHolds(Kind, mutated.Sample.FileName, mutated.Bytes()));

    [Property(MaxTest = 200)]
    public Property Should_Read_Any_Small_Json_Document_Without_Throwing_Even_When_It_Is_Invalid() =>
        // Given any small JSON document (a scalar, an array or an object with keys the samples use), valid for the kind or not
        // When it is read without validating first
        // Then each row has a locator (and an unreadable one a reason), and nothing throws
        Prop.ForAll(
            Arb.From(ParserInputs.JsonValue(3).Select(json => new Text(json)), t => Texts.Shrink(t.Value).Select(s => new Text(s))),
            json => ParserContract.ReadHolds(Kind, Samples[0].FileName, System.Text.Encoding.UTF8.GetBytes(json.Value)));

    [Property(MaxTest = 100)]
    public Property Should_Accept_Or_Reject_A_Sample_Under_Any_Name_Without_Throwing() =>
        // Given each real sample of the kind, its name preceded by any well-formed text (an artist, a song, a stray character)
        // When it is validated, and read in full if valid
        // Then every problem says where and what, and every row has fields or a problem
        Prop.ForAll(Texts.ArbitraryOf(Texts.WellFormed, wellFormed: true), prefix =>
        {
            foreach (var sample in Samples)
            {
                _ = ParserContract.Holds(Kind, prefix.Value + sample.FileName, sample.Bytes);
            }
        });

    [Property(MaxTest = 100)]
    public Property Should_Accept_Or_Reject_A_Sample_Under_A_Name_With_An_Unpaired_Surrogate_Without_Throwing() =>
        // Given each real sample of the kind, its name preceded by text that may hold an unpaired surrogate (a name NTFS allows)
        // When it is validated, and read in full if valid
        // Then nothing throws
        Prop.ForAll(Texts.ArbitraryOf(Texts.Any, wellFormed: false), prefix =>
        {
            foreach (var sample in Samples)
            {
                _ = ParserContract.Holds(Kind, prefix.Value + sample.FileName, sample.Bytes);
            }
        });

    [Property(MaxTest = 200)]
    public Property Should_Stage_Every_Row_Of_An_Accepted_Mutated_Sample_Without_Throwing() =>
        // Given a mutated real sample the kind accepts
        // When each row is converted by every staging dataset the kind feeds that takes it
        // Then each conversion gives exactly one of a row and a reject, and nothing throws
        Prop.ForAll(ParserInputs.Mutated(Samples), mutated =>
            Prop.Classify(true, StagesOrRejects(mutated.Sample.FileName, mutated.Bytes()), "accepted"));

    [Property(MaxTest = 300)]
    public Property Should_Stage_Any_Text_In_Any_Value_Of_A_Real_Sample_Without_Throwing() =>
        // Given a real sample with one value (a JSON string or number, a quoted or numeric field) replaced by any well-formed text
        // When it is validated, and each row of an accepted file converted by every staging dataset that takes it
        // Then each conversion gives exactly one of a row and a reject, and nothing throws
        Prop.ForAll(ParserInputs.TextIn(Samples), text =>
            Prop.Classify(true, StagesOrRejects(text.Sample.FileName, text.Bytes()), "accepted"));

    /// <summary>
    /// Validates the file and, when it is accepted, reads it and converts each row with every
    /// dataset of the kind that takes it, as the stager does; fails on any exception or broken promise.
    /// </summary>
    /// <returns>Whether the file was accepted.</returns>
    private bool StagesOrRejects(string fileName, byte[] bytes)
    {
        var content = Some.Content(fileName, bytes);
        var problems = Kind.Validate(content);
        Assert.All(problems, ParserContract.NamesItsProblem);
        if (problems.Count > 0)
        {
            return false;
        }

        _converters ??= StagingRows.Datasets(Kind).Select(d => (d, StagingRows.Converter(d))).ToList();
        foreach (var row in Kind.Read(content))
        {
            ParserContract.IsWellFormed(row);
            foreach (var (_, converter) in _converters.Where(c => c.Dataset.Takes(row)))
            {
                StagingRows.ConvertsOrRejects(converter, row);
            }
        }

        return true;
    }
}

public sealed class BankDetailsTsvProperties : RawFileKindProperties<BankDetailsTsv>
{
}

public sealed class StreamsStatsPageProperties : RawFileKindProperties<StreamsStatsPage>
{
}

public sealed class AppleMusicStatsPageProperties : RawFileKindProperties<AppleMusicStatsPage>
{
}

public sealed class SpotifySeriesJsonProperties : RawFileKindProperties<SpotifySeriesJson>
{
}

public sealed class AppleMusicJsonProperties : RawFileKindProperties<AppleMusicJson>
{
}

public sealed class AudienceTimelineCsvProperties : RawFileKindProperties<AudienceTimelineCsv>
{
}

public sealed class SongsCsvProperties : RawFileKindProperties<SongsCsv>
{
}

public sealed class PlaylistsCsvProperties : RawFileKindProperties<PlaylistsCsv>
{
}

public sealed class SongTimelineCsvProperties : RawFileKindProperties<SongTimelineCsv>
{
}

public sealed class MetaCampaignsJsonProperties : RawFileKindProperties<MetaCampaignsJson>
{
}

public sealed class MetaAdsetsJsonProperties : RawFileKindProperties<MetaAdsetsJson>
{
}

public sealed class MetaAdsJsonProperties : RawFileKindProperties<MetaAdsJson>
{
}

public sealed class MetaInsightsJsonProperties : RawFileKindProperties<MetaInsightsJson>
{
}

public sealed class AdsManagerCsvProperties : RawFileKindProperties<AdsManagerCsv>
{
}

public sealed class StudioExportZipProperties : RawFileKindProperties<StudioExportZip>
{
}

public sealed class VideoPerformanceCsvProperties : RawFileKindProperties<VideoPerformanceCsv>
{
}

public sealed class AnalyticsApiJsonProperties : RawFileKindProperties<AnalyticsApiJson>
{
}

public sealed class StudioTableCsvProperties : RawFileKindProperties<StudioTableCsv>
{
}

public sealed class StudioChartCsvProperties : RawFileKindProperties<StudioChartCsv>
{
}

public sealed class StudioTotalsCsvProperties : RawFileKindProperties<StudioTotalsCsv>
{
}

public sealed class AdminGraphqlJsonProperties : RawFileKindProperties<AdminGraphqlJson>
{
}

/// <summary>The properties above cover the whole catalog: a new kind needs its own subclass.</summary>
public sealed class RawFileKindPropertiesCoverage
{
    [Fact]
    public void Should_Have_Properties_For_Every_Kind_In_The_Catalog()
    {
        // Given the property classes of this assembly
        var covered = typeof(RawFileKindPropertiesCoverage).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(RawFileKindProperties<>))
            .Select(t => t.BaseType!.GetGenericArguments()[0])
            .ToHashSet();

        // When they are compared with the catalog
        var missing = PlatformCatalog.Kinds.Select(k => k.GetType()).Where(t => !covered.Contains(t)).Select(t => t.Name).ToList();

        // Then every kind has its properties
        Assert.Empty(missing);
    }
}

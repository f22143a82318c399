using System.Globalization;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A source row for one staging dataset, shown with every field escaped.</summary>
public sealed record ConverterCase(DatasetMapping Dataset, SourceRow Row)
{
    public override string ToString() =>
        $"{Dataset.Platform}/{Dataset.Name}: {Row.Locator} (record {Row.Record ?? "none"}" +
        (Row.Problem is null ? string.Empty : $", problem {ParserInputs.Show(Row.Problem)}") + ") { " +
        string.Join(", ", Row.Fields.Select(f => $"{ParserInputs.Show(f.Key)} = {ParserInputs.Show(f.Value)}")) + " }";
}

/// <summary>
/// The converter of every staging dataset, on source rows whose mapped fields hold anything: a
/// row or a reject with its rule and message comes out, never an exception.
/// </summary>
public sealed class RowConverterProperties
{
    private static readonly string[] AnyFieldEdges =
    [
        "", " ", "\t", "\u00A0", "-", "--", "NaN", "null", "undefined", "Infinity", "-Infinity", "1e309", "-1e309", "1e-400",
        "79228162514264337593543950335", "79228162514264337593543950336", "-79228162514264337593543950336",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "0.0000000000000000000000000001", "1E+28",
        "7.9228162514264337593543950335E+28", "1,234", "1.234,56", "12.5", ".5", "5.", "+1", "\u0661\u0662", "\uFF11\uFF12",
        "0001-01-01", "9999-12-31", "2025-02-30", "2/29/2023", "13/1/2025", "2025-13", "0000-01-01",
        "0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00", "9999-12-31T23:59:59.9999999-14:00", "2025-06-01T24:00:00Z",
        "e\u0301", "\uFB01", "\u0000", "\uFEFF", "\U0001F319",
    ];

    /// <summary>Text for a source field that feeds <paramref name="target"/>: often a value of its type (edges included), else anything.</summary>
    private static Gen<string?> ValueFor(FieldSchema target, TableSchema schema, Gen<string> anyText) => Gen.Frequency(
        (1, Gen.Constant<string?>(null)),
        (1, Gen.Elements(schema.MissingValues.ToArray()).Select(v => (string?)v)),
        (2, Gen.Elements(AnyFieldEdges).Select(v => (string?)v)),
        (3, anyText.Select(v => (string?)v)),
        (8, Plausible(target).Select(v => (string?)v)));

    private static Gen<string> Plausible(FieldSchema field) => field.Type switch
    {
        FieldType.Integer => Gen.OneOf(
            ArbMap.Default.GeneratorFor<long>().Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Choose(-10, 100000).Select(n => n.ToString(CultureInfo.InvariantCulture)),
            Gen.Elements("0", "-0", "+7", " 12 ", "9223372036854775807", "-9223372036854775808", "9223372036854775808")),
        FieldType.Number => Gen.OneOf(
            AnyDecimal.Select(d => d.ToString(CultureInfo.InvariantCulture)),
            AnyDecimal.Select(d => d.ToString("E", CultureInfo.InvariantCulture)),
            Gen.Choose(-1000, 100000).SelectMany(n => Gen.Choose(0, 12).Select(p => (n / Pow10(p)).ToString(CultureInfo.InvariantCulture)))),
        FieldType.Date or FieldType.YearMonth => Gen.OneOf(
            AnyDate.SelectMany(d => Gen.Elements(field.Formats.ToArray()).Select(f => d.ToString(f, CultureInfo.InvariantCulture))),
            Gen.Elements("2025-02-29", "2024-02-29", "12/31/9999", "1/1/0001", "0/1/2025")),
        FieldType.DateTime => AnyDate.SelectMany(d => Gen.Choose(0, 86399).SelectMany(s => Gen.Choose(-14, 14).Select(h =>
            new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue).AddSeconds(s), TimeSpan.Zero).ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) +
            (h == 0 ? "Z" : (h > 0 ? "+" : "-") + Math.Abs(h).ToString("00", CultureInfo.InvariantCulture) + ":00")))),
        _ when field.Enum is { Count: > 0 } values => Gen.Elements(values.ToArray()),
        _ when field.Pattern is not null => Gen.OneOf(
            Gen.Choose(1, 25).SelectMany(n => Gen.ArrayOf(Gen.Choose('0', '9').Select(c => (char)c), n)).Select(c => new string(c)),
            Gen.ArrayOf(Gen.Choose('A', 'Z').Select(c => (char)c), 2).Select(c => new string(c))),
        _ => Gen.Elements("Spotify", "Apple Music", "YouTube (Ads)", "S\u00f3lveig (feat. PIG1987)", "ZONE A0", "US", "streams", "all", "1year"),
    };

    private static decimal Pow10(int places) => places == 0 ? 1m : 10m * Pow10(places - 1);

    /// <summary>Any decimal: 96-bit mantissa, sign and scale all random.</summary>
    public static Gen<decimal> AnyDecimal { get; } =
        ArbMap.Default.GeneratorFor<int>().Three().SelectMany(m => Gen.Choose(0, 28).SelectMany(scale => ArbMap.Default.GeneratorFor<bool>().Select(negative =>
            new decimal(m.Item1, m.Item2, m.Item3 % 3 == 0 ? m.Item3 : 0, negative, (byte)scale))));

    /// <summary>Any date from 0001-01-01 to 9999-12-31.</summary>
    public static Gen<DateOnly> AnyDate { get; } =
        Gen.Frequency(
            (3, Gen.Choose(0, DateOnly.MaxValue.DayNumber).Select(DateOnly.FromDayNumber)),
            (2, Gen.Choose(new DateOnly(2020, 1, 1).DayNumber, new DateOnly(2030, 1, 1).DayNumber).Select(DateOnly.FromDayNumber)),
            (1, Gen.Elements(DateOnly.MinValue, DateOnly.MaxValue)));

    /// <summary>A source row for one of the datasets, its mapped fields filled by <paramref name="anyText"/> or typed values.</summary>
    private static Gen<ConverterCase> Cases(Gen<string> anyText, bool wellFormed) =>
        Gen.Elements(StagingRows.All.Select(p => p.Dataset).Distinct().ToArray()).SelectMany(dataset =>
        {
            var fields = StagingRows.SourceFields(dataset)
                .Select(f => Gen.Frequency(
                        (1, Gen.Constant<(string, string?)?>(null)),
                        (6, ValueFor(f.Target, dataset.Schema, anyText).Select(v => ((string, string?)?)(f.Source, v)))))
                .ToList();
            var record = dataset.Records.Count == 0
                ? Gen.Constant<string?>(null)
                : Gen.Elements(dataset.Records.Select(r => (string?)r).Append(null).Append("other").ToArray());
            return Gen.CollectToList(fields).SelectMany(values => record.SelectMany(r => Gen.Frequency(
                (19, Gen.Constant<string?>(null)),
                (1, anyText.Select(p => (string?)("unreadable: " + p)))).Select(problem =>
            {
                var row = new Dictionary<string, string?>(StringComparer.Ordinal);
                foreach (var (source, value) in values.OfType<(string, string?)>())
                {
                    row[source] = value;
                }

                var sourceRow = problem is null ? new SourceRow("line 7", row) : SourceRow.Unreadable("line 7", problem);
                return new ConverterCase(dataset, sourceRow with { Record = r });
            })));
        });

    /// <summary>Shrinks a case by leaving out a field, then by shortening a value.</summary>
    private static IEnumerable<ConverterCase> Shrink(ConverterCase c, bool wellFormed)
    {
        foreach (var key in c.Row.Fields.Keys)
        {
            yield return c with { Row = c.Row with { Fields = c.Row.Fields.Where(f => f.Key != key).ToDictionary(StringComparer.Ordinal) } };
        }

        foreach (var (key, value) in c.Row.Fields)
        {
            foreach (var shorter in Texts.Shrink(value ?? string.Empty).Where(s => !wellFormed || Texts.IsWellFormed(s)).Take(value?.Length <= 64 ? int.MaxValue : 3))
            {
                var fields = c.Row.Fields.ToDictionary(StringComparer.Ordinal);
                fields[key] = shorter;
                yield return c with { Row = c.Row with { Fields = fields } };
            }
        }
    }

    private static Property ConvertsOrRejects(Gen<string> anyText, bool wellFormed)
    {
        var converters = new Dictionary<DatasetMapping, RowConverter>();
        return Prop.ForAll(Arb.From(Cases(anyText, wellFormed), c => Shrink(c, wellFormed)), c =>
        {
            if (!converters.TryGetValue(c.Dataset, out var converter))
            {
                converter = StagingRows.Converter(c.Dataset);
                converters[c.Dataset] = converter;
            }

            StagingRows.ConvertsOrRejects(converter, c.Row);
        });
    }

    [Fact]
    public void Should_Have_Datasets_To_Convert_For()
    {
        // Given the mappings of every platform
        // When the datasets fed by the catalog's kinds are collected
        // Then every platform has some
        Assert.Equal(
            ["distrokid", "linktree", "metaads", "spotify", "tiktok", "toolost", "youtube"],
            StagingRows.All.Select(p => p.Dataset.Platform).Distinct().Order(StringComparer.Ordinal));
    }

    [Property(MaxTest = 500)]
    public Property Should_Give_A_Row_Or_A_Reject_For_Any_Well_Formed_Field_Values() =>
        // Given a source row of any dataset whose mapped fields are missing, empty, typed (edges included) or any well-formed text
        // When it is converted
        // Then exactly one of a full row and a reject (with a rule and a message) comes out, and nothing throws
        ConvertsOrRejects(Texts.WellFormed, wellFormed: true);

    [Property(MaxTest = 300)]
    public Property Should_Give_A_Row_Or_A_Reject_For_Field_Values_With_Unpaired_Surrogates() =>
        // Given a source row whose text may hold an unpaired surrogate (a string .NET allows, ill-formed as Unicode)
        // When it is converted
        // Then exactly one of a full row and a reject comes out, and nothing throws
        ConvertsOrRejects(Texts.Any, wellFormed: false);
}

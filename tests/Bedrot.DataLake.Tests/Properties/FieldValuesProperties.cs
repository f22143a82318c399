using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>A value of a staging field, shown with its schema and field.</summary>
public sealed record FieldCase<T>(TableSchema Schema, FieldSchema Field, T Value)
{
    public override string ToString() => $"staging/{Schema.Path} {Field.Name} ({Field.Type}, formats [{string.Join(", ", Field.Formats)}], scale {Field.Scale?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}): {Value}";
}

/// <summary>
/// What a staging file holds reads back as the value that was written: for every integer, number,
/// date, year-month and date-time field of the project's staging schemas.
/// </summary>
public sealed class FieldValuesProperties
{
    private static readonly Lazy<IReadOnlyList<TableSchema>> StagingSchemas = new(() =>
        Directory.EnumerateFiles(Path.Combine(Repository.SchemasFolder, "staging"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(path => TableSchema.Load(Repository.Schemas, "staging/" + Path.GetFileName(path)))
            .ToList());

    private static Arbitrary<FieldCase<T>> Cases<T>(Gen<T> values, params FieldType[] types)
    {
        var fields = StagingSchemas.Value.SelectMany(s => s.Fields.Where(f => types.Contains(f.Type)).Select(f => (Schema: s, Field: f))).ToArray();
        Assert.NotEmpty(fields);
        return Arb.From(Gen.Elements(fields).SelectMany(f => values.Select(v => new FieldCase<T>(f.Schema, f.Field, v))));
    }

    private static object? RoundTrip(FieldSchema field, object value)
    {
        var text = FieldValues.Format(field, value);
        var parsed = FieldValues.TryParse(field, text, out var expected);
        Assert.True(parsed is not null, $"'{text}' written for {field.Name} does not read back: expected {expected}");
        Assert.Equal(text, FieldValues.Format(field, parsed));
        return parsed;
    }

    private static Gen<long> AnyLong { get; } = Gen.Frequency(
        (3, ArbMap.Default.GeneratorFor<long>()),
        (1, Gen.Elements(0L, -1L, 1L, long.MinValue, long.MaxValue, long.MinValue + 1, long.MaxValue - 1)),
        (2, ArbMap.Default.GeneratorFor<int>().Two().Select(p => ((long)p.Item1 << 32) | (uint)p.Item2)));

    private static Gen<decimal> AnyDecimal { get; } = Gen.Frequency(
        (4, RowConverterProperties.AnyDecimal),
        (1, Gen.Elements(0m, -0m, 1m, -1m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m, -0.0000000000000000000000000001m,
            7.9228162514264337593543950335m, 1.0000000000000000000000000001m, 0.5m, 0.05m, 0.00000000005m, 1.000000m)));

    /// <summary>An instant from the first to the last second .NET can write, at whole seconds, as UTC.</summary>
    private static Gen<DateTimeOffset> AnyInstant { get; } =
        RowConverterProperties.AnyDate.SelectMany(d => Gen.Choose(0, 86399).SelectMany(s => Gen.Choose(-14 * 60, 14 * 60).Select(minutes =>
        {
            var utc = new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue).AddSeconds(s), TimeSpan.Zero);
            var offset = TimeSpan.FromMinutes(minutes);
            var local = utc.UtcTicks + offset.Ticks;
            return local >= DateTime.MinValue.Ticks && local <= DateTime.MaxValue.Ticks ? utc.ToOffset(offset) : utc;
        })));

    [Property(MaxTest = 300)]
    public Property Should_Read_Back_Every_Integer_It_Writes() =>
        // Given any 64-bit integer of any integer field
        // When it is written and read back
        // Then it is the same integer
        Prop.ForAll(Cases(AnyLong, FieldType.Integer), c => Assert.Equal(c.Value, RoundTrip(c.Field, c.Value)));

    [Property(MaxTest = 500)]
    public Property Should_Read_Back_Every_Decimal_It_Writes() =>
        // Given any decimal (every sign, scale and magnitude) of any number field
        // When it is written and read back
        // Then it is the same number, or for a field with a scale the number rounded half to even to that scale
        Prop.ForAll(Cases(AnyDecimal, FieldType.Number), c =>
        {
            var expected = c.Field.Scale is { } scale ? Math.Round(c.Value, scale, MidpointRounding.ToEven) : c.Value;
            Assert.Equal(expected, RoundTrip(c.Field, c.Value));
        });

    [Property(MaxTest = 300)]
    public Property Should_Read_Back_Every_Date_It_Writes() =>
        // Given any date from 0001-01-01 to 9999-12-31 of any date field
        // When it is written and read back
        // Then it is the same date
        Prop.ForAll(Cases(RowConverterProperties.AnyDate, FieldType.Date), c => Assert.Equal(c.Value, RoundTrip(c.Field, c.Value)));

    [Property(MaxTest = 200)]
    public Property Should_Read_Back_The_Month_Of_Every_Year_Month_It_Writes() =>
        // Given any date of a year-month field
        // When it is written and read back
        // Then it is the first day of the same month
        Prop.ForAll(Cases(RowConverterProperties.AnyDate, FieldType.YearMonth),
            c => Assert.Equal(new DateOnly(c.Value.Year, c.Value.Month, 1), RoundTrip(c.Field, c.Value)));

    [Property(MaxTest = 300)]
    public Property Should_Read_Back_Every_Instant_It_Writes() =>
        // Given any instant at whole seconds, with any offset, of any date-time field
        // When it is written (as UTC) and read back
        // Then it is the same instant
        Prop.ForAll(Cases(AnyInstant, FieldType.DateTime), c => Assert.Equal(c.Value, RoundTrip(c.Field, c.Value)));
}

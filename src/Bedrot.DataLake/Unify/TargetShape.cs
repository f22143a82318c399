using System.Buffers;
using System.Globalization;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// A unified dataset's schema resolved to indexes once: its key, its summed fields, its control-total
/// groups, and the conversions between a typed row and the formatted values unify keeps.
/// </summary>
internal sealed class TargetShape
{
    public TargetShape(TableSchema schema)
    {
        Schema = schema;
        Key = schema.PrimaryKey.Select(schema.IndexOf).ToArray();
        Measures = schema.Fields.Select((f, i) => (Field: f, Index: i)).Where(f => f.Field.Aggregate == "sum").Select(f => f.Index).ToArray();
        MeasureOf = new int[schema.Fields.Count];
        Array.Fill(MeasureOf, -1);
        for (var m = 0; m < Measures.Length; m++)
        {
            MeasureOf[Measures[m]] = m;
        }

        Date = schema.Fields.Any(f => f.Name == "date") ? schema.IndexOf("date") : -1;
        ControlBy = schema.ControlTotalsBy.Select(f => f == "month" ? -1 : schema.IndexOf(f)).ToArray();
    }

    public TableSchema Schema { get; }

    /// <summary>The primary key's fields.</summary>
    public int[] Key { get; }

    /// <summary>The summed fields (<c>aggregate: sum</c>), in schema order.</summary>
    public int[] Measures { get; }

    /// <summary>For each field, its place among <see cref="Measures"/>, or -1.</summary>
    public int[] MeasureOf { get; }

    public int Date { get; }

    /// <summary>The control-total group's fields; -1 stands for the month of <c>date</c>.</summary>
    public int[] ControlBy { get; }

    /// <summary>
    /// Writes the key of a typed row, its key fields formatted and joined as <see cref="KeyOf"/> joins
    /// them, into <paramref name="key"/> (emptied first) without making a string of it: a row that
    /// joins a known key then allocates nothing for its key.
    /// </summary>
    public void WriteKey(object?[] row, ArrayBufferWriter<char> key)
    {
        key.ResetWrittenCount();
        for (var k = 0; k < Key.Length; k++)
        {
            if (k > 0)
            {
                key.Write("\u001f");
            }

            key.Write(FieldValues.Format(Schema.Fields[Key[k]], row[Key[k]]));
        }
    }

    /// <summary>The key of a row kept as formatted values (<see cref="Texts"/>): the same as of the typed row.</summary>
    public string KeyOf(string?[] texts) =>
        string.Join('\u001f', Key.Select(i => texts[i] ?? string.Empty));

    /// <summary>The control-total group of a typed row.</summary>
    public string[] ControlGroupOf(object?[] row) =>
        ControlBy.Select(i => i < 0
                ? Date >= 0 && row[Date] is DateOnly date ? date.ToString("yyyy-MM", CultureInfo.InvariantCulture) : string.Empty
                : FieldValues.Format(Schema.Fields[i], row[i]))
            .ToArray();

    /// <summary>
    /// Writes <c>ControlSum.Id(ControlGroupOf(row))</c> into <paramref name="id"/> (emptied first)
    /// without making its parts or the text: a row of a known group then allocates nothing for it.
    /// </summary>
    public void WriteControlGroupId(object?[] row, ArrayBufferWriter<char> id)
    {
        id.ResetWrittenCount();
        for (var c = 0; c < ControlBy.Length; c++)
        {
            if (c > 0)
            {
                id.Write("\u001f");
            }

            var i = ControlBy[c];
            if (i >= 0)
            {
                id.Write(FieldValues.Format(Schema.Fields[i], row[i]));
            }
            else if (Date >= 0 && row[Date] is DateOnly date)
            {
                var month = id.GetSpan(7);
                date.TryFormat(month, out var written, "yyyy-MM", CultureInfo.InvariantCulture);
                id.Advance(written);
            }
        }
    }

    /// <summary>A summed field's value as combining adds it: null, or the number.</summary>
    public static decimal? Summable(object? value) => value switch
    {
        long whole => whole,
        int whole => whole,
        decimal number => number,
        _ => null,
    };

    /// <summary>A sum as the row holds it: a whole number for an integer field.</summary>
    public object? Typed(int measure, decimal? sum) =>
        sum is not { } value ? null
        : Schema.Fields[Measures[measure]].Type == FieldType.Integer ? (long)value
        : value;

    /// <summary>
    /// The typed row of kept values: each field parsed back from its formatted text, the summed fields
    /// from their sums. The same values the row held before formatting, for every field unify groups,
    /// labels or sums by.
    /// </summary>
    public object?[] Row(string?[] texts, decimal?[] sums)
    {
        var row = new object?[Schema.Fields.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = MeasureOf[i] >= 0 ? Typed(MeasureOf[i], sums[MeasureOf[i]])
                : string.IsNullOrEmpty(texts[i]) ? null
                : FieldValues.TryParse(Schema.Fields[i], texts[i]!, out _);
        }

        return row;
    }

    /// <summary>The formatted text of each field that is not summed (summed fields are kept as numbers).</summary>
    public string?[] Texts(object?[] row, Dictionary<string, string> pool)
    {
        var texts = new string?[row.Length];
        for (var i = 0; i < row.Length; i++)
        {
            if (MeasureOf[i] < 0 && row[i] is not null)
            {
                var text = FieldValues.Format(Schema.Fields[i], row[i]);
                texts[i] = pool.TryGetValue(text, out var known) ? known : pool[text] = text;
            }
        }

        return texts;
    }
}

using System.Runtime.CompilerServices;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using CsvHelper;

namespace Bedrot.DataLake.Unify;

/// <summary>
/// Reads a staging file for unify: one pass, row by row, taking the text of only the fields a unify
/// rule reads and typing a value only when asked. <see cref="StagingFiles.Read"/> types every field of
/// every row into a boxed array; unify needs a few fields of most rows, so that was most of its cost.
/// </summary>
internal sealed class StagedTable(TableSchema schema)
{
    public TableSchema Schema => schema;

    /// <summary>
    /// Calls <paramref name="each"/> for every row with its 0-based row number and the text of the
    /// <paramref name="fields"/> (by schema index; null when empty or absent). The array is reused.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Read(string path, IReadOnlyCollection<int> fields, Action<int, string?[]> each)
    {
        using var stream = StagingFiles.OpenMaybeCompressed(path);
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', HasHeader = true });
        var texts = new string?[schema.Fields.Count];
        var columns = Array.Empty<(int Field, int Column)>();
        // A staging file is UTF-8, and most of its columns repeat (a date, a store, a track on row after
        // row): each distinct value is made a string once.
        var recall = Array.Empty<StringRecall>();
        var row = 0;
        while (reader.Read())
        {
            if (row == 0)
            {
                columns = fields.Select(f => (f, reader.TryGetFieldIndex(schema.Fields[f].Name, out var index) ? index : -1))
                    .Where(c => c.Item2 >= 0)
                    .ToArray();
                recall = columns.Select(_ => new StringRecall()).ToArray();
            }

            for (var c = 0; c < columns.Length; c++)
            {
                var (field, column) = columns[c];
                texts[field] = reader.IsEmpty(column) ? null : recall[c].Of(reader.GetSpan(column)) ?? reader.GetString(column);
            }

            each(row++, texts);
        }
    }

    /// <summary>A field's text typed as <see cref="StagingFiles.Read"/> types it; a value that does not parse is a defect of the file.</summary>
    public object? Typed(int field, string? text, string path)
    {
        if (text is null)
        {
            return null;
        }

        return FieldValues.TryParse(schema.Fields[field], text, out _) ?? throw Unreadable(field, text, path);
    }

    private InvalidDataException Unreadable(int field, string text, string path) =>
        new($"{path}: '{text}' in {schema.Fields[field].Name} does not match schemas/{schema.Path}.");
}

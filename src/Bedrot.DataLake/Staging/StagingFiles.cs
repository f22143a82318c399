using System.IO.Compression;
using System.Runtime.CompilerServices;
using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Schemas;
using CsvHelper;

namespace Bedrot.DataLake.Staging;

/// <summary>
/// Writes and reads staging CSVs: UTF-8 without BOM, LF, a header of the schema's field names, fixed
/// value formats. A file over <see cref="GzipThreshold"/> bytes is stored as <c>.csv.gz</c>.
/// </summary>
public static class StagingFiles
{
    public const long GzipThreshold = 10L * 1024 * 1024;

    private static readonly CsvWriterOptions WriterOptions = new() { NewLine = "\n" };

    /// <summary>
    /// Writes the rows atomically, in one pass (compressed on a second thread once the file is big);
    /// returns the path written (maybe with <c>.gz</c>) and its SHA-256.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static (string Path, string Sha256) Write(string csvPath, TableSchema schema, IEnumerable<object?[]> rows)
    {
        var header = schema.Fields.Select(f => f.Name).ToArray();
        var fields = schema.Fields;
        var record = new string[header.Length];
        // Exports repeat dates, months, years and counts: each column formats a value once.
        var texts = fields.Select(_ => new Recall<object, string>()).ToArray();
        Directory.CreateDirectory(Path.GetDirectoryName(csvPath)!);
        using var output = new StagingOutput(csvPath, GzipThreshold);
        using (var writer = CsvWriter.Create(output, WriterOptions, leaveOpen: true))
        {
            writer.WriteHeader(header);
            foreach (var row in rows)
            {
                for (var i = 0; i < record.Length; i++)
                {
                    var value = row[i];
                    if (value is string text)
                    {
                        record[i] = text;
                    }
                    else if (value is null)
                    {
                        record[i] = string.Empty;
                    }
                    else
                    {
                        record[i] = texts[i].TryGet(value, out var known) ? known : texts[i].Remember(value, FieldValues.Format(fields[i], value));
                    }
                }

                writer.WriteRecord(record);
            }
        }

        return output.Complete();
    }

    /// <summary>Writes string records (header first) atomically and returns the SHA-256.</summary>
    public static string WriteRecords(string path, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string?>> records) =>
        AtomicFile.Write(path, stream =>
        {
            using var writer = CsvWriter.Create(stream, WriterOptions, leaveOpen: true);
            writer.WriteHeader(header.ToArray());
            foreach (var record in records)
            {
                writer.WriteRecord(record.Select(v => v ?? string.Empty).ToArray());
            }
        });

    /// <summary>Reads a staging file back into typed rows in schema field order.</summary>
    public static IEnumerable<object?[]> Read(string path, TableSchema schema)
    {
        using var stream = OpenMaybeCompressed(path);
        using var reader = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', HasHeader = true });
        var columns = new int[schema.Fields.Count];
        var headerRead = false;
        while (reader.Read())
        {
            if (!headerRead)
            {
                for (var i = 0; i < columns.Length; i++)
                {
                    columns[i] = reader.TryGetFieldIndex(schema.Fields[i].Name, out var index) ? index : -1;
                }

                headerRead = true;
            }

            var row = new object?[columns.Length];
            for (var i = 0; i < columns.Length; i++)
            {
                if (columns[i] < 0 || reader.IsEmpty(columns[i]))
                {
                    continue;
                }

                var text = reader.GetString(columns[i]);
                row[i] = FieldValues.TryParse(schema.Fields[i], text, out _)
                    ?? throw new InvalidDataException(
                        $"{path}: row {reader.RowNumber}: '{text}' in {schema.Fields[i].Name} does not match schemas/{schema.Path}.");
            }

            yield return row;
        }
    }

    /// <summary>A staging file opened for reading, decompressed when it is stored as <c>.csv.gz</c>.</summary>
    internal static Stream OpenMaybeCompressed(string path)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return path.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionMode.Decompress) : file;
    }
}

using System.IO.Compression;
using Bedrot.DataLake.Raw;

namespace Bedrot.DataLake.Platforms.TikTok;

/// <summary>One CSV sheet taken out of a TikTok Studio ZIP: its entry name and its bytes.</summary>
internal sealed record SheetEntry(StudioSheet Sheet, string Entry, byte[] Bytes);

/// <summary>
/// Opens a TikTok Studio ZIP safely. Every entry is checked from the central directory before any
/// byte is inflated: its name (no absolute path, no <c>..</c>, a <c>.csv</c>), its declared size
/// and compression ratio, and the number of entries. Only then are the known sheets inflated, each
/// read no further than its declared size, so a lying header cannot inflate more. Nothing is ever
/// written to disk.
/// </summary>
internal static class StudioArchive
{
    public const int MaxEntries = 32;
    public const long MaxEntryBytes = 32L << 20;
    public const long MaxTotalBytes = 128L << 20;

    /// <summary>Inflated bytes per compressed byte above which an entry over 1 MB is taken for a ZIP bomb.</summary>
    public const int MaxRatio = 200;

    /// <summary>The known sheets, in <see cref="StudioSheet.All"/> order, or every reason the archive is refused.</summary>
    public static IReadOnlyList<SheetEntry> Open(ReadOnlyMemory<byte> zip, out IReadOnlyList<RawProblem> problems)
    {
        var found = new List<RawProblem>();
        problems = found;
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip.ToArray(), writable: false), ZipArchiveMode.Read);
            var entries = archive.Entries;
            if (entries.Count > MaxEntries)
            {
                found.Add(new RawProblem("zip", $"the archive has {entries.Count} entries; a TikTok Studio export has at most {MaxEntries}"));
                return [];
            }

            var sheets = new List<(StudioSheet Sheet, ZipArchiveEntry Entry)>();
            long total = 0;
            foreach (var entry in entries)
            {
                var name = entry.FullName.Replace('\\', '/');
                var where = $"zip entry '{Printable(entry.FullName)}'";
                if (EntryNameProblem(name) is { } nameProblem)
                {
                    found.Add(new RawProblem(where, nameProblem));
                    continue;
                }

                if (name.EndsWith('/'))
                {
                    continue; // a folder entry holds no bytes
                }

                if (!name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(new RawProblem(where, "not a CSV; a TikTok Studio export holds only .csv sheets"));
                    continue;
                }

                if (entry.Length > MaxEntryBytes)
                {
                    found.Add(new RawProblem(where, $"inflates to {entry.Length} bytes, over the {MaxEntryBytes >> 20} MB a sheet may have"));
                    continue;
                }

                if (entry.Length > 1 << 20 && entry.Length > (long)MaxRatio * Math.Max(1, entry.CompressedLength))
                {
                    found.Add(new RawProblem(where,
                        $"inflates {entry.CompressedLength} bytes to {entry.Length} (more than {MaxRatio} to 1): a ZIP bomb, not an export"));
                    continue;
                }

                total += entry.Length;
                if (entry.IsEncrypted)
                {
                    found.Add(new RawProblem(where, "the entry is encrypted"));
                    continue;
                }

                if (StudioSheet.Named(name) is { } sheet)
                {
                    if (sheets.Any(s => s.Sheet == sheet))
                    {
                        found.Add(new RawProblem(where, $"a second {sheet.FileName}; which one is the export's cannot be known"));
                        continue;
                    }

                    sheets.Add((sheet, entry));
                }
            }

            if (total > MaxTotalBytes)
            {
                found.Add(new RawProblem("zip", $"the entries inflate to {total} bytes in all, over {MaxTotalBytes >> 20} MB"));
            }

            if (found.Count == 0 && sheets.All(s => s.Sheet != StudioSheet.Overview))
            {
                found.Add(new RawProblem("zip", $"no {StudioSheet.Overview.FileName}; found {Listing(entries)}"));
            }

            if (found.Count > 0)
            {
                return [];
            }

            var read = new List<SheetEntry>();
            foreach (var (sheet, entry) in sheets.OrderBy(s => StudioSheet.All.ToList().IndexOf(s.Sheet)))
            {
                if (Inflate(entry, out var problem) is { } bytes)
                {
                    read.Add(new SheetEntry(sheet, entry.FullName, bytes));
                }
                else
                {
                    found.Add(problem!);
                }
            }

            return found.Count == 0 ? read : [];
        }
        catch (Exception error) when (error is InvalidDataException or NotSupportedException or IOException or ArgumentException)
        {
            found.Add(new RawProblem("zip", "not a readable ZIP archive (truncated or damaged): " + error.Message));
            return [];
        }
    }

    /// <summary>Why an entry's name could write outside a folder it were extracted to, or null.</summary>
    private static string? EntryNameProblem(string name)
    {
        if (name.Length == 0)
        {
            return "the entry has no name";
        }

        if (name.StartsWith('/') || (name.Length > 1 && name[1] == ':' && char.IsAsciiLetter(name[0])))
        {
            return "an absolute path; entries must stay inside the archive";
        }

        if (name.Split('/').Any(part => part == ".."))
        {
            return "a path that climbs out of the archive ('..')";
        }

        return name.Any(char.IsControl) ? "a control character in the entry's name" : null;
    }

    /// <summary>The entry's bytes, reading at most its declared size plus one byte to catch a lie.</summary>
    private static byte[]? Inflate(ZipArchiveEntry entry, out RawProblem? problem)
    {
        problem = null;
        var declared = entry.Length;
        var buffer = new byte[declared + 1];
        using var stream = entry.Open();
        var filled = 0;
        int got;
        while (filled < buffer.Length && (got = stream.Read(buffer, filled, buffer.Length - filled)) > 0)
        {
            filled += got;
        }

        if (filled > declared)
        {
            problem = new RawProblem($"zip entry '{Printable(entry.FullName)}'", $"inflates to more than its declared {declared} bytes");
            return null;
        }

        return buffer[..filled];
    }

    private static string Listing(IReadOnlyCollection<ZipArchiveEntry> entries) =>
        entries.Count == 0 ? "no entries" : string.Join(", ", entries.Take(10).Select(e => Printable(e.FullName)));

    private static string Printable(string name)
    {
        var shown = new string(name.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return shown.Length > 120 ? shown[..120] + "..." : shown;
    }
}

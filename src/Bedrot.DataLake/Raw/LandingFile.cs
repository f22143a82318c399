using System.IO.Enumeration;

namespace Bedrot.DataLake.Raw;

/// <summary>A file found in the landing folder, with its path relative to landing (forward slashes).</summary>
public sealed record LandingFile(string FullPath, string Relative)
{
    public string Name => Path.GetFileName(FullPath);

    /// <summary>
    /// The size and last write time (UTC ticks) the scan saw in the file's entry, or null when the file
    /// was not found by <see cref="Scan"/> or is a symbolic link. Spares a second look at each file.
    /// </summary>
    public (long Size, long Ticks)? Seen { get; init; }

    /// <summary>
    /// Why the file must not be read at all, or null: a symbolic link (it may point anywhere,
    /// outside landing too) or a file over <paramref name="maxBytes"/>. Only the file's own entry
    /// is looked at, never its content (from <paramref name="info"/> when the caller has it
    /// already, or from what the scan saw).
    /// </summary>
    public RawProblem? Refusal(long maxBytes, FileInfo? info = null)
    {
        if (info is null && Seen is { } seen)
        {
            return TooLarge(seen.Size, maxBytes);
        }

        info ??= new FileInfo(FullPath);
        // The link's target is read only for a link: one look at the entry serves a plain file.
        if (info.Attributes.HasFlag(FileAttributes.ReparsePoint) && info.LinkTarget is { } target)
        {
            return new RawProblem("file", $"a symbolic link (to {target}); landing files must be real files, so a link is not followed");
        }

        return TooLarge(info.Length, maxBytes);
    }

    private static RawProblem? TooLarge(long size, long maxBytes) =>
        size > maxBytes
            ? new RawProblem("file",
                $"the file is {size / (1024.0 * 1024.0):0.#} MB, over the {maxBytes >> 20} MB limit (--max-file-mb); it was not read")
            : null;

    /// <summary>
    /// Every file under <paramref name="landing"/> in a stable order. Hidden files (<c>.name</c>)
    /// and files in hidden folders are not exports; they are returned in <paramref name="ignored"/>.
    /// A symbolic link (to a file or a folder) is returned as itself and never walked into, so
    /// nothing outside landing is ever read.
    /// </summary>
    public static IReadOnlyList<LandingFile> Scan(string landing, out IReadOnlyList<string> ignored)
    {
        var found = new List<Entry>();
        var skipped = new List<string>();
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(landing));
        var folders = new Stack<string>([landing]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            // The directory listing tells a file from a folder; only a folder's entry is looked at here.
            var entries = new FileSystemEnumerable<Entry>(folder, (ref entry) => Entry.Of(ref entry), options);
            foreach (var entry in entries)
            {
                if (entry.Hidden)
                {
                    skipped.Add(RelativeOf(root, entry.Path));
                }
                else if (entry.Folder)
                {
                    folders.Push(entry.Path);
                }
                else
                {
                    found.Add(entry);
                }
            }
        }

        // One status call per file, for its size and time (or to see it is a link), side by side: on a
        // landing folder of thousands of files these calls are most of a run that has nothing to do.
        var files = new LandingFile[found.Count];
        Parallel.For(0, found.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(Environment.ProcessorCount, 4) }, i =>
        {
            var path = found[i].Path;
            var info = new FileInfo(path);
            var seen = found[i].Link || info.Attributes.HasFlag(FileAttributes.ReparsePoint) ? ((long, long)?)null : (info.Length, info.LastWriteTimeUtc.Ticks);
            files[i] = new LandingFile(path, RelativeOf(root, path)) { Seen = seen };
        });

        ignored = skipped.OrderBy(s => s, StringComparer.Ordinal).ToList();
        return files.OrderBy(f => f.Relative, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The path of a file found under <paramref name="root"/> (landing's full path), relative to it with
    /// '/' between folders: cut after the root it starts with, as the listing gives it, rather than
    /// worked out again for each of thousands of files.
    /// </summary>
    private static string RelativeOf(string root, string path) =>
        (path.Length > root.Length + 1 && path.StartsWith(root, StringComparison.Ordinal)
            && (path[root.Length] == Path.DirectorySeparatorChar || path[root.Length] == Path.AltDirectorySeparatorChar)
            ? path[(root.Length + 1)..]
            : Path.GetRelativePath(root, path)).Replace('\\', '/');

    /// <summary>What <see cref="Scan"/> takes from a directory entry. A link, to a file or a folder, is neither followed nor walked into.</summary>
    private readonly record struct Entry(string Path, bool Hidden, bool Folder, bool Link)
    {
        public static Entry Of(ref FileSystemEntry entry)
        {
            var path = entry.ToFullPath();
            if (entry.FileName.StartsWith('.'))
            {
                return new Entry(path, Hidden: true, Folder: false, Link: false);
            }

            // A folder, or a link to one, is looked at to tell which; a file is looked at by the caller.
            if (entry.IsDirectory)
            {
                var link = entry.Attributes.HasFlag(FileAttributes.ReparsePoint);
                return new Entry(path, Hidden: false, Folder: !link, Link: link);
            }

            return new Entry(path, Hidden: false, Folder: false, Link: false);
        }
    }
}

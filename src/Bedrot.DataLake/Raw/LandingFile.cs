namespace Bedrot.DataLake.Raw;

/// <summary>A file found in the landing folder, with its path relative to landing (forward slashes).</summary>
public sealed record LandingFile(string FullPath, string Relative)
{
    public string Name => Path.GetFileName(FullPath);

    /// <summary>
    /// Why the file must not be read at all, or null: a symbolic link (it may point anywhere,
    /// outside landing too) or a file over <paramref name="maxBytes"/>. Only the file's own entry
    /// is looked at, never its content (from <paramref name="info"/> when the caller has it already).
    /// </summary>
    public RawProblem? Refusal(long maxBytes, FileInfo? info = null)
    {
        info ??= new FileInfo(FullPath);
        // The link's target is read only for a link: one look at the entry serves a plain file.
        if (info.Attributes.HasFlag(FileAttributes.ReparsePoint) && info.LinkTarget is { } target)
        {
            return new RawProblem("file", $"a symbolic link (to {target}); landing files must be real files, so a link is not followed");
        }

        return info.Length > maxBytes
            ? new RawProblem("file",
                $"the file is {info.Length / (1024.0 * 1024.0):0.#} MB, over the {maxBytes >> 20} MB limit (--max-file-mb); it was not read")
            : null;
    }

    /// <summary>
    /// Every file under <paramref name="landing"/> in a stable order. Hidden files (<c>.name</c>)
    /// and files in hidden folders are not exports; they are returned in <paramref name="ignored"/>.
    /// A symbolic link (to a file or a folder) is returned as itself and never walked into, so
    /// nothing outside landing is ever read.
    /// </summary>
    public static IReadOnlyList<LandingFile> Scan(string landing, out IReadOnlyList<string> ignored)
    {
        var files = new List<LandingFile>();
        var skipped = new List<string>();
        var folders = new Stack<string>([landing]);
        var options = new EnumerationOptions { RecurseSubdirectories = false, AttributesToSkip = 0, IgnoreInaccessible = true };
        while (folders.Count > 0)
        {
            var folder = folders.Pop();
            foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*", options))
            {
                var relative = Path.GetRelativePath(landing, path).Replace('\\', '/');
                if (relative.Split('/')[^1].StartsWith('.'))
                {
                    skipped.Add(relative);
                }
                else if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
                {
                    folders.Push(path);
                }
                else
                {
                    files.Add(new LandingFile(path, relative));
                }
            }
        }

        ignored = skipped.OrderBy(s => s, StringComparer.Ordinal).ToList();
        return files.OrderBy(f => f.Relative, StringComparer.Ordinal).ToList();
    }
}

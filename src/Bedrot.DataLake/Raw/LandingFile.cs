namespace Bedrot.DataLake.Raw;

/// <summary>A file found in the landing folder, with its path relative to landing (forward slashes).</summary>
public sealed record LandingFile(string FullPath, string Relative)
{
    public string Name => Path.GetFileName(FullPath);

    /// <summary>
    /// Every file under <paramref name="landing"/> in a stable order. Hidden files (<c>.name</c>)
    /// and files in hidden folders are not exports; they are returned in <paramref name="ignored"/>.
    /// </summary>
    public static IReadOnlyList<LandingFile> Scan(string landing, out IReadOnlyList<string> ignored)
    {
        var files = new List<LandingFile>();
        var skipped = new List<string>();
        foreach (var path in Directory.EnumerateFiles(landing, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(landing, path).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.')))
            {
                skipped.Add(relative);
                continue;
            }

            files.Add(new LandingFile(path, relative));
        }

        ignored = skipped.OrderBy(s => s, StringComparer.Ordinal).ToList();
        return files.OrderBy(f => f.Relative, StringComparer.Ordinal).ToList();
    }
}

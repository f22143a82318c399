namespace Bedrot.Bench.Running;

/// <summary>Where the repository's schemas and samples are, found from the harness's own location.</summary>
internal static class Repository
{
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Bedrot.sln")))
            {
                return folder.FullName;
            }
        }

        throw new ArgumentException("the repository (Bedrot.sln) was not found above the harness; pass --schemas / --samples");
    }

    public static string Schemas() => Path.Combine(Root(), "schemas");
}

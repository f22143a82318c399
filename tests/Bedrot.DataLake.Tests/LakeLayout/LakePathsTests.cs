using Bedrot.DataLake.Lake;

namespace Bedrot.DataLake.Tests.LakeLayout;

/// <summary>Lake-relative and full paths: what the joins and cuts give is what resolving the path gives.</summary>
public sealed class LakePathsTests
{
    public static TheoryData<string, string> Paths => new()
    {
        { "/srv/lake", "raw/distrokid/sales/2025/01/a.tsv" },
        { "/srv/lake/", "staging/streaming/a b.csv" },
        { "/srv/lake", "raw/./distrokid/../x.tsv" },
        { "/srv/lake", "raw//x.tsv" },
        { "/srv/lake", ".bedrot/state/unify.json" },
        { "/srv/lake", "raw/.hidden/x" },
        { "/srv/lake", "../outside.csv" },
        { "/srv/lake", "/etc/passwd" },
        { "/srv/lake", "folder/" },
        { "/srv/./lake/../lake", "staging/x.csv" },
        { "/", "raw/x.tsv" },
        { "relative-lake", "raw/x.tsv" },
        { "relative-lake", "raw\\x.tsv" },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Should_Give_The_Full_Path_That_Resolving_The_Joined_Path_Gives(string root, string relative)
    {
        // Given a lake at root
        var paths = new LakePaths(root);

        // When a lake-relative path is made full
        var full = paths.Full(relative);

        // Then it is the resolved join of the two
        Assert.Equal(Path.GetFullPath(Path.Combine(root, relative)), full);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Should_Give_The_Relative_Path_That_Resolving_Both_Gives(string root, string relative)
    {
        // Given a lake at root, and a full path as it comes, resolved or not
        var paths = new LakePaths(root);
        foreach (var full in new[] { Path.GetFullPath(Path.Combine(root, relative)), Path.Combine(Path.GetFullPath(root), relative) })
        {
            // When it is made relative to the lake
            var made = paths.Relative(full);

            // Then it is what resolving both paths gives, with forward slashes
            Assert.Equal(Path.GetRelativePath(root, full).Replace('\\', '/'), made);
        }
    }

    [Fact]
    public void Should_Stay_Equal_To_A_Lake_Of_The_Same_Root_After_Use()
    {
        // Given two lakes at the same root, one of which has made paths
        var used = new LakePaths("/srv/lake");
        _ = used.Full("raw/x.tsv");

        // Then they are equal, and a lake at another root is not
        Assert.Equal(new LakePaths("/srv/lake"), used);
        Assert.NotEqual(new LakePaths("/srv/other"), used);
    }
}

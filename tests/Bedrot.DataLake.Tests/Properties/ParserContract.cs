using Bedrot.DataLake.Raw;
using Bedrot.DataLake.Staging;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>
/// What every raw file kind promises for any input: validation names each problem (where and what)
/// instead of throwing, and a file it accepts reads into rows that each have fields or a problem.
/// </summary>
internal static class ParserContract
{
    /// <summary>Validates, and reads the file in full when validation passes; fails on any exception or broken promise.</summary>
    /// <returns>Whether the kind accepted the file (so it was also read).</returns>
    public static bool Holds(RawFileKind kind, string fileName, byte[] bytes)
    {
        var content = Some.Content(fileName, bytes);
        var problems = kind.Validate(content);
        Assert.NotNull(problems);
        foreach (var problem in problems)
        {
            NamesItsProblem(problem);
        }

        if (problems.Count == 0)
        {
            foreach (var row in kind.Read(content))
            {
                IsWellFormed(row);
            }
        }

        return problems.Count == 0;
    }

    /// <summary>
    /// Reads the file in full whatever validation would say; fails on any exception. A file the kind
    /// would reject may give rows without fields (an empty object), but each row has a locator and
    /// an unreadable row a reason.
    /// </summary>
    public static void ReadHolds(RawFileKind kind, string fileName, byte[] bytes)
    {
        foreach (var row in kind.Read(Some.Content(fileName, bytes)))
        {
            Assert.NotNull(row);
            Assert.False(string.IsNullOrWhiteSpace(row.Locator), $"a row without a locator: {row}");
            Assert.NotNull(row.Fields);
            Assert.True(row.Problem is null || !string.IsNullOrWhiteSpace(row.Problem), $"row {row.Locator} has a blank problem");
        }
    }

    public static void NamesItsProblem(RawProblem problem)
    {
        Assert.NotNull(problem);
        Assert.False(string.IsNullOrWhiteSpace(problem.Where), $"a problem without a place: {problem}");
        Assert.False(string.IsNullOrWhiteSpace(problem.Problem), $"a problem without a reason: {problem}");
    }

    /// <summary>
    /// A row has a locator, and either fields or (an unreadable row) a problem. An unreadable row may
    /// keep the fields it was read with, so its amounts count on the raw side of the control totals.
    /// </summary>
    public static void IsWellFormed(SourceRow row)
    {
        Assert.NotNull(row);
        Assert.False(string.IsNullOrWhiteSpace(row.Locator), $"a row without a locator: {row}");
        Assert.NotNull(row.Fields);
        if (row.Problem is null)
        {
            Assert.True(row.Fields.Count > 0, $"row {row.Locator} has neither fields nor a problem");
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(row.Problem), $"row {row.Locator} has a blank problem");
        }
    }
}

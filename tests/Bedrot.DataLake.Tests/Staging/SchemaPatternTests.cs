using System.Text.RegularExpressions;
using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Tests.Staging;

/// <summary>Schema patterns: which are matched by the interpreter on short texts, and that every text gets the non-backtracking engine's answer.</summary>
public sealed class SchemaPatternTests
{
    [Theory]
    [InlineData("[A-Z]{2}")]
    [InlineData("[0-9]{1,20}")]
    [InlineData("[0-9]{1,25}")]
    [InlineData("[A-Z]{2}-?[A-Z0-9]{3}-?[0-9]{2}-?[0-9]{5}")]
    [InlineData("[a-z][a-z0-9_]*")]
    [InlineData(@"\d{4}-\d{2}-\d{2}")]
    [InlineData(@"^\s?\d+$")]
    [InlineData(@"[]a]x")]
    public void Should_Take_A_Run_Of_Single_Atoms_With_At_Most_One_Open_Repeat_As_Simple(string pattern) =>
        Assert.True(SchemaPattern.IsSimple(pattern));

    [Theory]
    [InlineData(@"\s*-?\d+(\.\d+)?\s*")]
    [InlineData("(a+)+b")]
    [InlineData("a|b")]
    [InlineData("a*b*")]
    [InlineData(@"^\s*\d+$")]
    [InlineData("a+?")]
    [InlineData("a{2}{3}")]
    [InlineData(@"(\w)\1")]
    [InlineData(@"\1")]
    [InlineData("(?=a)a")]
    [InlineData("[a-z-[aeiou]]")]
    [InlineData(@"\p{L}+")]
    [InlineData("[0-9]{1,100}[0-9]{1,100}[0-9]{1,100}")]
    [InlineData("a{2,1}")]
    [InlineData("[a-")]
    [InlineData("*a")]
    public void Should_Not_Take_Groups_Alternation_Several_Open_Repeats_Or_Unknown_Forms_As_Simple(string pattern) =>
        Assert.False(SchemaPattern.IsSimple(pattern));

    public static TheoryData<string> Patterns => new()
    {
        "[A-Z]{2}",
        "[0-9]{1,20}",
        "[A-Z]{2}-?[A-Z0-9]{3}-?[0-9]{2}-?[0-9]{5}",
        "[a-z][a-z0-9_]*",
        @"\d{4}-\d{2}-\d{2}",
        @"\s*-?\d+(\.\d+)?\s*",
        "[^0-9]+",
        "a.c",
    };

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Should_Answer_As_The_Non_Backtracking_Engine_For_Short_And_Long_Texts(string pattern)
    {
        // Given the pattern, and the non-backtracking engine's reading of it anchored
        var checker = new SchemaPattern(pattern);
        var linear = new Regex("^(?:" + pattern + ")$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);
        var random = new Random(pattern.Length);
        const string alphabet = "AZaz09_-. \n\u00e9";
        var texts = new List<string> { string.Empty, "US", "US\n", "us", "2025-01-31", "GB-ABC-25-00001", "GBABC2500001", "abc", "a_1", "12", " -3.5 " };
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(4) == 0 ? random.Next(SchemaPattern.ShortText - 2, SchemaPattern.ShortText + 3) : random.Next(14);
            texts.Add(new string(Enumerable.Range(0, length).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray()));
        }

        texts.Add(new string('7', SchemaPattern.ShortText));
        texts.Add(new string('7', SchemaPattern.ShortText + 1));
        texts.Add("a" + new string('b', 5000));

        // Then every text gets the same answer, whichever engine matched it
        Assert.All(texts, text => Assert.Equal(linear.IsMatch(text), checker.IsMatch(text)));
        Assert.Contains(texts, linear.IsMatch);
    }

    [Fact]
    public void Should_Fail_When_Made_From_A_Pattern_That_Does_Not_Compile()
    {
        Assert.ThrowsAny<ArgumentException>(() => new SchemaPattern("[a-"));
        Assert.ThrowsAny<ArgumentException>(() => new SchemaPattern("a{2,1}"));
        Assert.ThrowsAny<ArgumentException>(() => new SchemaPattern("x**"));
    }

    [Fact]
    public void Should_Match_Short_Texts_Of_The_Staging_Schemas_Patterns_By_The_Interpreter()
    {
        // Given every pattern the staging schemas use
        var root = Path.Combine(Support.Repository.SchemasFolder, "staging");
        var patterns = Directory.EnumerateFiles(root, "*.json")
            .SelectMany(file => Regex.Matches(File.ReadAllText(file), "\"pattern\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").Select(m => Regex.Unescape(m.Groups[1].Value)))
            .Distinct()
            .ToList();

        // Then each is simple, so a run that checks short values does not build the non-backtracking engine
        Assert.NotEmpty(patterns);
        Assert.All(patterns, pattern => Assert.True(new SchemaPattern(pattern).MatchesShortTextsByInterpreter, pattern));
    }
}

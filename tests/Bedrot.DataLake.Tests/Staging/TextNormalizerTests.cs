using Bedrot.DataLake.Staging;

namespace Bedrot.DataLake.Tests.Staging;

public sealed class TextNormalizerTests
{
    public sealed class TheCleanMethod
    {
        [Theory]
        [InlineData("  PIG1987 ", "PIG1987")]
        [InlineData("GLASS  ANGEL", "GLASS ANGEL")]
        [InlineData("HOLD\tON\t I", "HOLD ON I")]
        [InlineData("ZONE\u00a0\u00a0A0", "ZONE A0")]
        [InlineData("em\u2003space", "em space")]
        [InlineData("line\r\nbreak", "line break")]
        [InlineData("   ", "")]
        [InlineData("", "")]
        public void Should_Trim_And_Collapse_Every_Kind_Of_White_Space(string value, string expected)
        {
            // Given text with spaces, tabs, no-break spaces or line breaks
            // When it is cleaned
            // Then every run is one space and the ends are trimmed
            Assert.Equal(expected, TextNormalizer.Clean(value));
        }

        [Fact]
        public void Should_Keep_Case_Punctuation_And_Emoji()
        {
            // Given a stylised title with emoji (surrogate pairs) and punctuation
            var title = "\U0001F525 FIRE (feat. ZONE A0) \U0001F525";

            // When it is cleaned
            // Then nothing but white space is touched
            Assert.Equal(title, TextNormalizer.Clean(title));
        }

        [Fact]
        public void Should_Compose_Decomposed_Characters()
        {
            // Given "é" as "e" and a combining accent
            // When it is cleaned
            var clean = TextNormalizer.Clean("Beyonce\u0301");

            // Then it is the single composed character (NFC), so equal names are equal strings
            Assert.Equal("Beyonc\u00e9", clean);
        }
    }

    public sealed class TheKeyMethod
    {
        [Theory]
        [InlineData("S\u00f3lveig  (feat. PIG1987)", "solveig feat pig1987")]
        [InlineData("ZONE A0", "zone a0")]
        [InlineData("Beyonce\u0301", "beyonce")]
        [InlineData("Beyonc\u00e9", "beyonce")]
        [InlineData("AC/DC \u2014 Live!", "ac dc live")]
        [InlineData("\ufb01re", "fire")]
        [InlineData("Tab\tand\u00a0NBSP", "tab and nbsp")]
        [InlineData("\U0001F525\U0001F525", "")]
        [InlineData("...", "")]
        public void Should_Lower_Case_Strip_Accents_And_Punctuation(string value, string expected)
        {
            // Given a display value
            // When its matching key is made
            // Then it is lower case words of letters and digits, one space apart
            Assert.Equal(expected, TextNormalizer.Key(value));
        }

        [Fact]
        public void Should_Give_Spellings_Of_The_Same_Store_The_Same_Key()
        {
            // Given spellings of one store
            // When keys are made
            // Then they agree
            Assert.Equal(TextNormalizer.Key("YouTube (Ads)"), TextNormalizer.Key("youtube  ads"));
            Assert.Equal("youtube ads", TextNormalizer.Key("YouTube (Ads)"));
        }
    }
}

using Bedrot.DataLake.Platforms.TikTok;

namespace Bedrot.DataLake.Tests.Platforms.TikTok;

public sealed class YearlessDateTests
{
    public sealed class TheResolveMethod
    {
        [Theory]
        [InlineData("January 5", "2025-01-05", "2025-01-05")]
        [InlineData("January 6", "2025-01-05", "2024-01-06")]
        [InlineData("December 31", "2025-01-05", "2024-12-31")]
        [InlineData("November 7", "2025-01-05", "2024-11-07")]
        [InlineData("February 28", "2025-03-01", "2025-02-28")]
        [InlineData("March 2", "2025-03-01", "2024-03-02")]
        public void Should_Take_The_Latest_Such_Day_On_Or_Before_The_Export_Date(string text, string exported, string expected)
        {
            // Given a year-less day and the export date from the file name
            // When the day is resolved
            var day = YearlessDate.Resolve(text, DateOnly.Parse(exported));

            // Then it is the last day with that month and day not after the export, across New Year too
            Assert.Equal(DateOnly.Parse(expected), day);
        }

        [Theory]
        [InlineData("8 de marzo", "2025-03-10", "2025-03-08")]
        [InlineData("31 de diciembre", "2025-01-02", "2024-12-31")]
        [InlineData("1 de enero", "2025-01-02", "2025-01-01")]
        [InlineData("15 de septiembre", "2025-01-02", "2024-09-15")]
        [InlineData("15 de setiembre", "2025-01-02", "2024-09-15")]
        [InlineData("3 Ago", "2025-01-02", "2024-08-03")]
        [InlineData("Feb 3", "2025-03-01", "2025-02-03")]
        [InlineData("  MARCH 1  ", "2025-03-01", "2025-03-01")]
        public void Should_Read_English_And_Spanish_Month_Names_In_Any_Case(string text, string exported, string expected)
        {
            // Given a day written in English or Spanish, full or short, in any case
            // When it is resolved
            // Then it names the expected day
            Assert.Equal(DateOnly.Parse(expected), YearlessDate.Resolve(text, DateOnly.Parse(exported)));
        }

        [Fact]
        public void Should_Walk_Back_To_A_Leap_Year_For_February_29()
        {
            // Given 29 February in an export taken in a year without it
            // When it is resolved
            var day = YearlessDate.Resolve("February 29", new DateOnly(2025, 3, 1));

            // Then it is the last 29 February before the export
            Assert.Equal(new DateOnly(2024, 2, 29), day);
        }

        [Theory]
        [InlineData("2024-12-30", "2024-12-30")]
        [InlineData("Dec 30, 2023", "2023-12-30")]
        [InlineData("30 de diciembre de 2023", "2023-12-30")]
        public void Should_Keep_A_Year_The_Text_Already_Has(string text, string expected)
        {
            // Given a day that states its year
            // When it is resolved against a later export date
            // Then the stated year is kept
            Assert.Equal(DateOnly.Parse(expected), YearlessDate.Resolve(text, new DateOnly(2025, 1, 5)));
        }

        [Theory]
        [InlineData("undefined")]
        [InlineData("")]
        [InlineData("February 30")]
        [InlineData("Smarch 3")]
        [InlineData("8 de marzzo")]
        [InlineData("January 0")]
        [InlineData("0 de marzo")]
        [InlineData("March 00, 2024")]
        [InlineData("2025-02-30")]
        [InlineData("\u0661\u0662 March")]
        [InlineData("March 1, \u0661\u0662\u0663\u0664")]
        public void Should_Give_No_Day_For_Text_That_Names_None(string text)
        {
            // Given text that is not a day (a TikTok placeholder, an impossible day, an unknown month, other digits)
            // When it is resolved
            // Then there is no day, and nothing throws
            Assert.Null(YearlessDate.Resolve(text, new DateOnly(2025, 1, 5)));
        }
    }
}

using System.Globalization;
using System.Text.Unicode;
using Bedrot.DataLake.Schemas;
using Bedrot.DataLake.Staging;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Bedrot.DataLake.Tests.Properties;

/// <summary>
/// The fast paths of staging give what the general ones give: numbers formatted by hand, dates
/// read by hand, UTF-8 checked in chunks, rows handed between threads.
/// </summary>
public sealed class StreamingProperties
{
    private static readonly Gen<decimal> Decimals =
        Gen.Choose(-1_000_000_000, 1_000_000_000).SelectMany(whole => Gen.Choose(0, 28).SelectMany(scale =>
            Gen.Choose(0, 999_999_999).Select(fraction =>
            {
                var value = new decimal(Math.Abs(whole), 0, fraction % 7, whole < 0, 0) + new decimal(fraction, 0, 0, false, (byte)Math.Min(scale, 9));
                return scale > 9 ? value / (decimal)Math.Pow(10, scale - 9) : value;
            })));

    [Property(MaxTest = 2000)]
    public Property Numbers_are_formatted_as_the_invariant_custom_format_formats_them() =>
        Prop.ForAll(Arb.From(Gen.OneOf(Decimals, Gen.Elements(0m, -0.000m, 1.50m, decimal.MaxValue, decimal.MinValue, 0.0000000000000000000000000001m))), number =>
        {
            var expected = number == 0m ? "0" : number.ToString("0.############################", CultureInfo.InvariantCulture);
            Assert.Equal(expected, FieldValues.FormatNumber(number));
        });

    [Property(MaxTest = 3000)]
    public Property Dates_read_by_hand_are_the_dates_the_framework_reads() =>
        Prop.ForAll(Arb.From(DateLike()), text =>
        {
            foreach (var format in new[] { "yyyy-MM-dd", "yyyy-MM" })
            {
                var field = new FieldSchema { Name = "day", Type = FieldType.Date, Formats = [format] };
                DateOnly? expected = DateOnly.TryParseExact(text, format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
                Assert.Equal(expected, FieldValues.TryParse(field, text, out _) as DateOnly?);
            }
        });

    [Property(MaxTest = 3000)]
    public Property Dates_written_by_hand_are_the_texts_the_framework_writes() =>
        Prop.ForAll(Arb.From(Gen.Choose(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber)), dayNumber =>
        {
            var date = DateOnly.FromDayNumber(dayNumber);
            Assert.Equal(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), FieldValues.IsoDate(date));
        });

    [Property(MaxTest = 500)]
    public Property Utf8_checked_in_chunks_agrees_with_checking_it_whole() =>
        Prop.ForAll(Arb.From(Utf8Like()), Arb.From(Gen.Choose(4, 64)), (bytes, chunk) =>
            Assert.Equal(Utf8.IsValid(bytes), Utf8Check.IsValid(new MemoryStream(bytes), chunk)));

    [Property(MaxTest = 50)]
    public Property Read_ahead_keeps_every_item_in_order_and_passes_on_a_failure_where_it_happened() =>
        Prop.ForAll(Arb.From(Gen.Choose(0, 5000)), Arb.From(Gen.Choose(1, 64)), Arb.From(Gen.Choose(-1, 5000)), (count, batch, failAt) =>
        {
            IEnumerable<int> Source()
            {
                for (var i = 0; i < count; i++)
                {
                    if (i == failAt)
                    {
                        throw new InvalidDataException($"item {i}");
                    }

                    yield return i;
                }
            }

            var seen = new List<int>();
            var failed = Record.Exception(() =>
            {
                foreach (var item in ReadAhead.Of(Source(), batch, batchesAhead: 2))
                {
                    seen.Add(item);
                }
            });
            var fails = failAt >= 0 && failAt < count;
            Assert.Equal(Enumerable.Range(0, fails ? failAt : count), seen);
            Assert.Equal(fails ? $"item {failAt}" : null, failed?.Message);
        });

    [Fact]
    public void A_reader_that_stops_early_stops_the_thread_reading_ahead()
    {
        var produced = 0;
        IEnumerable<int> Endless()
        {
            while (true)
            {
                yield return Interlocked.Increment(ref produced);
            }
        }

        Assert.Equal([1, 2, 3], ReadAhead.Of(Endless(), batchSize: 16, batchesAhead: 2).Take(3));
        var after = Volatile.Read(ref produced);
        Thread.Sleep(50);
        Assert.Equal(after, Volatile.Read(ref produced));
        Assert.True(after <= 16 * 4, $"{after} items were read ahead of 3 taken");
    }

    private static Gen<string> DateLike() =>
        Gen.Choose(5, 11).SelectMany(length =>
            Gen.ArrayOf(Gen.Elements('0', '1', '2', '3', '9', '-', '/', ' ', '٣'), length).Select(c => new string(c)))
        .Or(Gen.Choose(0, 10000).SelectMany(y => Gen.Choose(0, 13).SelectMany(m => Gen.Choose(0, 32).Select(d =>
            $"{y:0000}-{m:00}-{d:00}"))))
        .Or(Gen.Choose(0, 10000).SelectMany(y => Gen.Choose(0, 13).Select(m => $"{y:0000}-{m:00}")));

    private static Gen<byte[]> Utf8Like() =>
        Gen.ListOf(Gen.OneOf(
                Gen.Elements("a", "é", "€", "😀", "\uFFFD").Select(s => System.Text.Encoding.UTF8.GetBytes(s)),
                Gen.Elements<byte[]>([0xC3], [0xE2, 0x82], [0xF0, 0x9F, 0x98], [0x80], [0xFF], [0xED, 0xA0, 0x80])))
            .Select(parts => parts.SelectMany(p => p).ToArray());
}

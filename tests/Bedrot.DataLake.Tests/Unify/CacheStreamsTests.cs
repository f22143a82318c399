using System.Text;
using Bedrot.DataLake.Unify;

namespace Bedrot.DataLake.Tests.Unify;

/// <summary>The unify cache's values: what the writer writes reads back, in the layout a <see cref="BinaryWriter"/> gives.</summary>
public sealed class CacheStreamsTests
{
    private static readonly decimal[] Amounts = [0m, 1m, -1m, 0.01m, 1234567.8900m, -79228162514264337593543950335m, 79228162514264337593543950335m, 0.0000000000000000000000000001m];

    [Fact]
    public void Should_Read_Back_Every_Value_It_Wrote()
    {
        // Given values of every kind, texts repeated and long, written
        var longText = new string('x', 200_000) + "é";
        using var stream = new MemoryStream();
        using (var writer = new CacheWriter(stream))
        {
            writer.Write(0);
            writer.Write(int.MaxValue);
            writer.Write(-5);
            writer.Write(long.MinValue);
            writer.Write(long.MaxValue);
            writer.WriteList(Amounts);
            writer.WriteList([1.5m, null, -2m]);
            writer.WriteList(["2025-05", null, "Sigur Rós 🎵", "2025-05", longText, longText]);
        }

        // When they are read back
        var reader = new CacheReader(stream.ToArray());
        var read = (reader.Int(), reader.Int(), reader.Int(), reader.Long(), reader.Long(), reader.Decimals(), reader.MaybeDecimals(), reader.MaybeStrings());

        // Then each is as written (scale included), and a repeated text is one instance
        Assert.Equal((0, int.MaxValue, -5, long.MinValue, long.MaxValue), (read.Item1, read.Item2, read.Item3, read.Item4, read.Item5));
        Assert.Equal(Amounts.Select(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture)), read.Item6.Select(a => a.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(new decimal?[] { 1.5m, null, -2m }, read.Item7);
        Assert.Equal(new[] { "2025-05", null, "Sigur Rós 🎵", "2025-05", longText, longText }, read.Item8);
        Assert.Same(read.Item8[0], read.Item8[3]);
        Assert.Equal(3, reader.Strings);
    }

    [Fact]
    public void Should_Lay_Out_Numbers_And_Texts_As_A_Binary_Writer_Does()
    {
        // Given numbers and a new text written by the cache's writer
        using var written = new MemoryStream();
        using (var writer = new CacheWriter(written))
        {
            writer.Write(300);
            writer.Write(-1);
            writer.Write(1L << 40);
            writer.Write("Sigur Rós");
        }

        // When a binary writer writes the same (a new text is tagged 1)
        using var expected = new MemoryStream();
        using (var binary = new BinaryWriter(expected, Encoding.UTF8, leaveOpen: true))
        {
            binary.Write7BitEncodedInt(300);
            binary.Write7BitEncodedInt(-1);
            binary.Write7BitEncodedInt64(1L << 40);
            binary.Write7BitEncodedInt(1);
            binary.Write("Sigur Rós");
        }

        // Then the bytes are the same: a cache written before reads as it did
        Assert.Equal(expected.ToArray(), written.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x80 })]
    [InlineData(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 })]
    [InlineData(new byte[] { 1, 10, (byte)'a' })]
    [InlineData(new byte[] { 5 })]
    public void Should_Throw_What_A_Damaged_Cache_Is_Caught_As_When_The_Data_Is_Cut_Or_Garbled(byte[] bytes)
    {
        // Given bytes that end early, run a number too long, or refer to a text not read
        var reader = new CacheReader(bytes);

        // When a text is read from them
        var error = Record.Exception(() => reader.String());

        // Then the error is one the cache's loader takes as damage (and builds from every file)
        Assert.True(error is IOException or InvalidDataException or FormatException, error?.GetType().Name);
    }
}

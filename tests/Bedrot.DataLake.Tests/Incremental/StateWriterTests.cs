using System.Text;
using System.Text.Json;
using Bedrot.DataLake.Incremental;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>The control files' writer copies plain texts and numbers itself; what it writes must be what the JSON writer writes.</summary>
public sealed class StateWriterTests
{
    public static TheoryData<string> Texts()
    {
        var texts = new TheoryData<string>
        {
            string.Empty,
            "raw/distrokid/sales/2025/06/dk_bank_details_20250601_093015.tsv",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            "Sigur Rós 🎵/Table data.csv",
            "tab\there",
            "line\nbreak",
            "quote \" and backslash \\",
        };
        for (var c = (char)0x20; c <= 0x7E; c++)
        {
            texts.Add($"a{c}b");
        }

        return texts;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Should_Write_A_Text_As_The_Json_Writer_Does(string text)
    {
        // Given a text, written by the control files' writer between two raw texts
        using var stream = new MemoryStream();
        using (var writer = new StateWriter(stream))
        {
            writer.Raw("["u8);
            writer.String(text);
            writer.Raw(","u8);
            writer.Number(-1234567890123L);
            writer.Raw("]"u8);
            writer.Complete();
        }

        // When the JSON writer writes the same values with the same options
        using var expected = new MemoryStream();
        using (var json = new Utf8JsonWriter(expected, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartArray();
            json.WriteStringValue(text);
            json.WriteNumberValue(-1234567890123L);
            json.WriteEndArray();
        }

        // Then the bytes are the same, and they read back as the text
        Assert.Equal(Encoding.UTF8.GetString(expected.ToArray()), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(text, JsonDocument.Parse(stream.ToArray()).RootElement[0].GetString());
    }
}

using System.Text;

namespace Bedrot.Bench.Running;

/// <summary>The change of the touch-one scenario: one landing file gets new content, as a re-download would give it.</summary>
internal static class LandingChange
{
    /// <summary>
    /// Appends a row to the middle DistroKid bank export (a copy of its last row, one more stream),
    /// or, without one, trailing whitespace to the middle JSON file; returns the file's landing path.
    /// </summary>
    public static string TouchOne(string landing)
    {
        var banks = Directory.EnumerateFiles(landing, "dk_bank_details_*.tsv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (banks.Count > 0)
        {
            var bank = banks[banks.Count / 2];
            var text = File.ReadAllText(bank, Encoding.UTF8);
            var lines = text.TrimEnd('\r').Split('\r');
            var fields = lines[^1].Split('\t');
            fields[7] = (long.Parse(fields[7], System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            File.AppendAllText(bank, string.Join('\t', fields) + "\r", new UTF8Encoding(false));
            return Path.GetRelativePath(landing, bank);
        }

        var json = Directory.EnumerateFiles(landing, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (json.Count == 0)
        {
            throw new ArgumentException("--runs touch-one: the landing folder has no bank export or JSON file to change");
        }

        var file = json[json.Count / 2];
        File.AppendAllText(file, " \n");
        return Path.GetRelativePath(landing, file);
    }
}

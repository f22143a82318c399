using System.Globalization;
using System.Text;

namespace Bedrot.Bench.Generation;

/// <summary>
/// A DistroKid bank-details export: the 13 tab-separated columns in their order, bare-CR line ends
/// (the last line too), ASCII, earnings with 8 decimals and about 15% of rows negative (reversals).
/// </summary>
internal static class BankTsv
{
    private const string Header =
        "Reporting Date\tSale Month\tStore\tArtist\tTitle\tISRC\tUPC\tQuantity\tTeam Percentage\tSong/Album\tCountry of Sale\tSongwriter Royalties Withheld\tEarnings (USD)";

    private static readonly string[] Stores =
        ["Spotify", "Apple Music", "Amazon Unlimited (Streaming)", "YouTube (Ads)", "Deezer", "Tidal", "iTunes", "TikTok", "Amazon Prime (Streaming)", "YouTube Music"];

    private static readonly string[] Countries =
        ["US", "US", "US", "GB", "DE", "CA", "AU", "SE", "UA", "BR", "FR", "NL", "MX", "JP", "IS"];

    private static readonly string[] Artists = ["ZONE A0", "PIG1987", "SOLVEIG LIND", "NIGHT PAGES", "bedroom tapes"];

    private static readonly string[] Words =
        ["HOLD ON", "CHROME", "TEETH", "STATIC", "BLOOM", "KEYGEN", "MIDNIGHT", "DRIVE", "GLASS", "ANGEL", "NEON", "RAIN", "LOOP", "VOID", "ECHO"];

    /// <summary>Writes one export of <paramref name="rows"/> data rows; returns the number of files written (1).</summary>
    public static int Write(string landing, DateTime exported, long rows, int seed)
    {
        var random = new Random(seed);
        var folder = Directory.CreateDirectory(Path.Combine(landing, "distrokid")).FullName;
        var path = Path.Combine(folder, $"dk_bank_details_{exported:yyyyMMdd_HHmmss}.tsv");
        var tracks = Enumerable.Range(0, 60).Select(i => Track(random, i)).ToArray();
        // The export repeats every monthly report up to its own date, the newest last.
        var reports = Enumerable.Range(0, 12).Select(m => new DateOnly(2024, 8, 3).AddMonths(m)).ToArray();
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\r" };
        writer.Write(Header);
        writer.Write('\r');
        var line = new StringBuilder(160);
        for (long row = 0; row < rows; row++)
        {
            var report = reports[(int)(row * reports.Length / Math.Max(1, rows))];
            var saleMonth = report.AddMonths(-1 - random.Next(0, 3));
            var (artist, title, isrc, upc) = tracks[random.Next(tracks.Length)];
            var quantity = random.Next(1, 3000);
            var earnings = quantity * (0.0008m + (decimal)random.NextDouble() * 0.004m);
            if (random.NextDouble() < 0.15)
            {
                earnings = -earnings;
            }

            var withheld = random.NextDouble() < 0.1 ? Math.Round((decimal)random.NextDouble() * 0.3m, 5) : 0m;
            line.Clear()
                .Append(report.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)).Append('\t')
                .Append(saleMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture)).Append('\t')
                .Append(Stores[random.Next(Stores.Length)]).Append('\t')
                .Append(artist).Append('\t')
                .Append(title).Append('\t')
                .Append(isrc).Append('\t')
                .Append(upc).Append('\t')
                .Append(quantity.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append("100\t")
                .Append(random.Next(20) == 0 ? "Album" : "Song").Append('\t')
                .Append(Countries[random.Next(Countries.Length)]).Append('\t')
                .Append(withheld.ToString(CultureInfo.InvariantCulture)).Append('\t')
                .Append(Math.Round(earnings, 8).ToString("0.########", CultureInfo.InvariantCulture)).Append('\r');
            writer.Write(line);
        }

        return 1;
    }

    private static (string Artist, string Title, string Isrc, string Upc) Track(Random random, int index)
    {
        var title = $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]}";
        var isrc = $"QZ{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{24 + (index % 2)}{random.Next(10000, 99999)}";
        var upc = (random.Next(5) == 0 ? "0" : string.Empty) + "1973" + random.Next(10000000, 99999999).ToString(CultureInfo.InvariantCulture);
        return (Artists[index % Artists.Length], title, isrc, upc);
    }
}

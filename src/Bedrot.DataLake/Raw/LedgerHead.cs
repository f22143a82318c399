using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Bedrot.DataLake.Raw;

/// <summary>
/// Where the ledger ended when a run last found its chain intact: the line count and the hash of the
/// last line (what <c>verify-raw</c> checks lines cut from the end against), and the length and SHA-256
/// of the whole file up to there. The next run hashes that prefix in one pass instead of re-checking
/// each of its lines, and checks line by line only what was appended since. Stored in
/// <c>.bedrot/ledger-head.json</c>.
/// </summary>
public sealed record LedgerHead(
    [property: JsonProperty("lines")] int Lines,
    [property: JsonProperty("last_line_hash")] string LastLineHash,
    [property: JsonProperty("bytes", NullValueHandling = NullValueHandling.Ignore)] long? Bytes,
    [property: JsonProperty("sha256", NullValueHandling = NullValueHandling.Ignore)] string? Sha256)
{
    /// <summary>The head recorded at <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static LedgerHead? Read(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            var head = JObject.Parse(File.ReadAllText(path));
            return new LedgerHead((int?)head["lines"] ?? 0, (string?)head["last_line_hash"] ?? string.Empty,
                (long?)head["bytes"], (string?)head["sha256"]);
        }
        catch (Exception error) when (error is JsonException or ArgumentException or FormatException or InvalidCastException)
        {
            // A damaged head only costs a full check of the chain.
            return null;
        }
    }

    /// <summary>Replaces the recorded head atomically.</summary>
    public void Write(string path) => Lake.AtomicFile.WriteAllText(path, JsonConvert.SerializeObject(this) + "\n");
}

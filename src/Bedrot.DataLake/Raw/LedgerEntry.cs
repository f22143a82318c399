using Newtonsoft.Json;

namespace Bedrot.DataLake.Raw;

/// <summary>One line of <c>raw/_ledger.jsonl</c>: a promotion or a recorded duplicate.</summary>
public sealed record LedgerEntry
{
    [JsonProperty("seq", Order = 0)] public long Sequence { get; init; }
    [JsonProperty("event", Order = 1)] public required string Event { get; init; }
    [JsonProperty("sha256", Order = 2)] public required string Sha256 { get; init; }
    [JsonProperty("size", Order = 3)] public long Size { get; init; }
    [JsonProperty("source", Order = 4)] public required string Source { get; init; }
    [JsonProperty("platform", Order = 5)] public required string Platform { get; init; }
    [JsonProperty("datatype", Order = 6)] public required string Datatype { get; init; }
    [JsonProperty("raw_path", Order = 7)] public required string RawPath { get; init; }
    [JsonProperty("extracted_at", Order = 8)] public string? ExtractedAt { get; init; }
    [JsonProperty("validated_at", Order = 9)] public required string ValidatedAt { get; init; }
    [JsonProperty("validator", Order = 10)] public string? Validator { get; init; }
    [JsonProperty("prev", Order = 11)] public string Previous { get; init; } = string.Empty;

    /// <summary>SHA-256 of this line as written without this field: an edited line fails it itself.</summary>
    [JsonProperty("hash", Order = 12, NullValueHandling = NullValueHandling.Ignore)] public string? LineHash { get; init; }

    /// <summary>The hash this entry's line must carry (over its JSON without <see cref="LineHash"/>).</summary>
    public string ComputeLineHash() =>
        Incremental.Hashing.Of(JsonConvert.SerializeObject(this with { LineHash = null }, Formatting.None));

    public const string Promoted = "promoted";
    public const string Duplicate = "duplicate";
}

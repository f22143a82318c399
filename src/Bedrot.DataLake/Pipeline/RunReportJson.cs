using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Bedrot.DataLake.Pipeline;

/// <summary>
/// The run report's JSON, its serialiser generated at build time: the report of a run over thousands
/// of files names each one skipped, and serialising it by reflection was a noticeable part of a rerun
/// that had nothing to do. Indented, with non-ASCII text (file and artist names) written as it is.
/// </summary>
[JsonSerializable(typeof(RunReport))]
internal sealed partial class RunReportJson : JsonSerializerContext
{
    public static RunReportJson Indented { get; } = new(new JsonSerializerOptions
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

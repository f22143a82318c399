using Newtonsoft.Json;

namespace Bedrot.DataLake.Incremental;

/// <summary>The recorded items of one step, stored in <c>.bedrot/state/&lt;step&gt;.json</c>.</summary>
public sealed class StepState
{
    public int Version { get; init; } = 1;

    public SortedDictionary<string, ItemState> Items { get; init; } = new(StringComparer.Ordinal);

    public static StepState Load(string path)
    {
        if (!File.Exists(path))
        {
            return new StepState();
        }

        try
        {
            return JsonConvert.DeserializeObject<StepState>(File.ReadAllText(path)) ?? new StepState();
        }
        catch (JsonException)
        {
            // A damaged state only costs a rebuild: every item then runs as new.
            return new StepState();
        }
    }

    /// <summary>Replaces the state file atomically, after the outputs it describes are in place.</summary>
    public void Save(string path) =>
        Lake.AtomicFile.WriteAllText(path, JsonConvert.SerializeObject(this, Formatting.Indented) + "\n");
}

using System.Runtime.InteropServices;

namespace Bedrot.Bench.Running;

/// <summary>The machine a result was measured on, as the README's results table names it.</summary>
internal static class MachineInfo
{
    public static object Describe() => new
    {
        date_utc = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        processors = Environment.ProcessorCount,
        cpu_model = Field("/proc/cpuinfo", "model name"),
        memory_gb = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1),
        os = RuntimeInformation.OSDescription,
        runtime = RuntimeInformation.FrameworkDescription,
        server_gc = System.Runtime.GCSettings.IsServerGC,
        // The machine is shared: the load average says how much of it the measurement had.
        load_average = LoadAverage(),
    };

    /// <summary>The 1, 5 and 15 minute load averages (Linux), or null.</summary>
    public static string? LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : null;

    private static string? Field(string path, string name) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(name, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault()
            : null;
}

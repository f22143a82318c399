namespace Bedrot.DataLake.Lake;

/// <summary>
/// One writer per lake: an exclusive handle on <c>.bedrot/lock</c> held for the whole run. The
/// operating system releases it when the process dies, so a crashed run never blocks the next one.
/// The holder's pid, host and start time are written beside it for the refusal message; when a run
/// finds that record left by a run that died (killed, power cut), it says whose lock it took over.
/// </summary>
public sealed class RunLock : IDisposable
{
    private readonly FileStream _handle;
    private readonly string _infoPath;

    private RunLock(FileStream handle, string infoPath, string? takenOverFrom)
    {
        _handle = handle;
        _infoPath = infoPath;
        TakenOverFrom = takenOverFrom;
    }

    /// <summary>The holder record of a run that died holding the lake (pid, host, start), or null.</summary>
    public string? TakenOverFrom { get; }

    /// <summary>Takes the lock or throws <see cref="LakeConfigurationException"/> naming the holder.</summary>
    public static RunLock Acquire(LakePaths paths, DateTimeOffset now)
    {
        Directory.CreateDirectory(paths.Control);
        var infoPath = paths.Lock + ".json";
        FileStream handle;
        try
        {
            handle = new FileStream(paths.Lock, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var holder = File.Exists(infoPath) ? File.ReadAllText(infoPath).Trim() : "an unknown process";
            throw new LakeConfigurationException(
                $"The lake '{paths.Root}' is in use by another run ({holder}); wait for it to finish.");
        }

        // The handle is ours, so whoever wrote a leftover holder record is gone: its run stopped
        // without releasing the lake. The operating system freed its handle; say whose it was.
        var stale = File.Exists(infoPath) ? File.ReadAllText(infoPath).Trim() : null;
        // Written by hand: the first use of a reflection-based serialiser costs a noticeable part of a rerun that does nothing.
        using (var file = File.Create(infoPath))
        using (var info = new System.Text.Json.Utf8JsonWriter(file, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            info.WriteStartObject();
            info.WriteNumber("pid", Environment.ProcessId);
            info.WriteString("host", Environment.MachineName);
            info.WriteString("started", now.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            info.WriteEndObject();
        }

        return new RunLock(handle, infoPath, stale is null ? null : stale.Length == 0 ? "an unknown run" : stale);
    }

    public void Dispose()
    {
        if (File.Exists(_infoPath))
        {
            File.Delete(_infoPath);
        }

        _handle.Dispose();
    }
}

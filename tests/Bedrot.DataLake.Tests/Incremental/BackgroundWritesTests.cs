using Bedrot.DataLake.Lake;
using Bedrot.DataLake.Tests.Support;

namespace Bedrot.DataLake.Tests.Incremental;

/// <summary>Files written while a run goes on: in order per path, waited for by their readers and by the run's end, never failing the run.</summary>
public sealed class BackgroundWritesTests : IDisposable
{
    private readonly TempDirectory _folder = new();
    private readonly CollectedLog _log = new();
    private readonly BackgroundWrites _writes;

    public BackgroundWritesTests() => _writes = new BackgroundWrites(_log.Logger(), new LakePaths(_folder.Path));

    public void Dispose()
    {
        _writes.WaitAll();
        _folder.Dispose();
    }

    [Fact]
    public void Should_Write_One_Path_In_The_Order_Started_And_Let_A_Reader_Wait_For_It()
    {
        // Given a slow write of a path, then a quick one of the same path
        var path = _folder.File("summary.json");
        using var release = new ManualResetEventSlim();
        _writes.Start(path, () =>
        {
            release.Wait();
            File.WriteAllText(path, "first");
        });
        _writes.Start(path, () => File.WriteAllText(path, "second"));

        // When the first is let go and a reader waits for the path
        release.Set();
        _writes.Wait(path);

        // Then the reader finds the later write, made after the earlier one
        Assert.Equal("second", File.ReadAllText(path));
    }

    [Fact]
    public async Task Should_Not_Make_A_Reader_Of_Another_Path_Wait()
    {
        // Given a write of one path held back
        using var release = new ManualResetEventSlim();
        using var started = new ManualResetEventSlim();
        _writes.Start(_folder.File("a.json"), () =>
        {
            started.Set();
            release.Wait();
        });
        started.Wait();

        // When a reader of another path waits, and then the run waits for all
        var reader = Task.Run(() => _writes.Wait(_folder.File("b.json")));
        var returned = await Task.WhenAny(reader, Task.Delay(TimeSpan.FromSeconds(30)));
        var waitAll = Task.Run(_writes.WaitAll);

        // Then the reader returned while the write was held, and the run's wait ends only once it is let go
        try
        {
            Assert.Same(reader, returned);
            Assert.NotSame(waitAll, await Task.WhenAny(waitAll, Task.Delay(100)));
        }
        finally
        {
            release.Set();
        }

        await waitAll;
    }

    [Fact]
    public void Should_Log_A_Write_That_Failed_Naming_The_File_Instead_Of_Throwing()
    {
        // Given a write that throws
        var path = _folder.File(".bedrot/cache/unify/streaming_unified.bin");
        _writes.Start(path, () => throw new IOException("No space left on device"));

        // When the run waits for it
        _writes.WaitAll();

        // Then nothing is thrown and a warning names the lake-relative file
        var warning = Assert.Single(_log.Messages);
        Assert.Contains(".bedrot/cache/unify/streaming_unified.bin", warning, StringComparison.Ordinal);
    }
}

namespace Bedrot.Bench.Running;

/// <summary>
/// The highest working set and managed heap seen while it runs, sampled every few milliseconds on
/// its own thread: <c>Process.PeakWorkingSet64</c> is the whole process's, this is one step's.
/// </summary>
internal sealed class MemorySampler : IDisposable
{
    private readonly Thread _thread;
    private volatile bool _stop;

    public MemorySampler()
    {
        _thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public long PeakWorkingSet { get; private set; }

    public long PeakHeap { get; private set; }

    private void Sample()
    {
        while (!_stop)
        {
            Take();
            Thread.Sleep(5);
        }
    }

    private void Take()
    {
        PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
        PeakHeap = Math.Max(PeakHeap, GC.GetTotalMemory(forceFullCollection: false));
    }

    public void Dispose()
    {
        _stop = true;
        _thread.Join();
        Take();
    }
}

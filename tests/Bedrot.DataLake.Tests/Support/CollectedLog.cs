using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Bedrot.DataLake.Tests.Support;

/// <summary>The log messages of a run, rendered; a run may log from several threads at once.</summary>
public sealed class CollectedLog : ILogEventSink
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public ILogger Logger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    public void Emit(LogEvent logEvent)
    {
        var message = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        lock (_messages)
        {
            _messages.Add(message);
        }
    }
}

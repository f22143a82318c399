using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Bedrot.DataLake.Pipeline;

/// <summary>Console for people, compact JSON under <c>.bedrot/logs/</c> for machines.</summary>
public static class Logging
{
    public static Serilog.Core.Logger Create(string logFolder, string runStamp, bool verbose) =>
        new LoggerConfiguration()
            .MinimumLevel.Debug()
            .WriteTo.Console(
                restrictedToMinimumLevel: verbose ? LogEventLevel.Debug : LogEventLevel.Information,
                outputTemplate: "{Level:u3} {Message:lj}{NewLine}{Exception}",
                formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .WriteTo.File(new CompactJsonFormatter(), Path.Combine(logFolder, $"run-{runStamp}.clef"))
            .CreateLogger();
}

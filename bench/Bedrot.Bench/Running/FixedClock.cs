namespace Bedrot.Bench.Running;

/// <summary>A clock that always says the same time, so every run writes the same lake.</summary>
internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

namespace Bedrot.Bench.Generation;

/// <summary>Export times for file names, one minute apart, so no two generated files share a name.</summary>
internal sealed class Stamps
{
    private DateTime _next = new(2025, 1, 1, 6, 0, 0, DateTimeKind.Utc);

    public DateTime Next()
    {
        var stamp = _next;
        _next = _next.AddMinutes(1);
        return stamp;
    }
}

namespace Runtime.Silo.Tests.Testing;

/// <summary>
/// A clock that moves only when a test says so. Only wall-clock time is manual: timestamps and timers stay
/// real, so background loops keep ticking and observe the manual time when they do. Safe to read while a
/// test advances it.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}

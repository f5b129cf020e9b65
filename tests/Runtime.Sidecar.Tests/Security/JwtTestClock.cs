namespace Runtime.Sidecar.Tests.Security;

/// <summary>A wall clock the test sets; timers (fetch timeouts) still run on real time.</summary>
internal sealed class JwtTestClock(DateTimeOffset now) : TimeProvider
{
    private DateTimeOffset _now = now;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

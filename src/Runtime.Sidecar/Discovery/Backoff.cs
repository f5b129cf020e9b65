namespace Runtime.Sidecar.Discovery;

/// <summary>
/// Jittered exponential reconnect delays: 200 ms doubling to a 10 s cap, each drawn between half and all of
/// the step, so a fleet of sidecars that lost the same control plane does not reconnect in lockstep.
/// </summary>
internal static class Backoff
{
    private static readonly TimeSpan Base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);

    public static TimeSpan Delay(int attempt, Random random)
    {
        var step = Math.Min(Cap.TotalMilliseconds, Base.TotalMilliseconds * Math.Pow(2, Math.Clamp(attempt, 0, 16)));
        return TimeSpan.FromMilliseconds(step * (0.5 + (random.NextDouble() / 2)));
    }
}

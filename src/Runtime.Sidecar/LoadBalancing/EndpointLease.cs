namespace Runtime.Sidecar.LoadBalancing;

/// <summary>
/// One in-flight request on an endpoint, counted by the balancer that handed it out. Dispose it exactly once when
/// the response completes; least-request picking reads these counts.
/// </summary>
internal readonly struct EndpointLease : IDisposable
{
    private readonly int[]? _counters;
    private readonly int _index;

    internal EndpointLease(int[] counters, int index)
    {
        _counters = counters;
        _index = index;
        Interlocked.Increment(ref counters[index]);
    }

    /// <summary>Ends the request: the endpoint's in-flight count goes down by one.</summary>
    public void Dispose()
    {
        if (_counters is not null)
        {
            Interlocked.Decrement(ref _counters[_index]);
        }
    }
}

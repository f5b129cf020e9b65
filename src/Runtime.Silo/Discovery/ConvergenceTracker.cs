namespace Runtime.Silo.Discovery;

/// <summary>
/// Measures convergence: from the first change of a debounced batch (as the distributor saw it) until every
/// connected proxy whose snapshot it changed has ACKed. A NACK abandons the measurement (that change never
/// converged); a proxy that disconnects or leaves is no longer waited for. Not thread-safe: the distributor
/// calls it under its lock, except <see cref="ChangeObserved"/>, which is atomic.
/// </summary>
internal sealed class ConvergenceTracker(TimeProvider time)
{
    /// <summary>Bounds memory when proxies never ACK: the oldest measurement is dropped.</summary>
    private const int MaxWaves = 32;

    private readonly List<Wave> _waves = [];
    private long _firstChange;

    /// <summary>Notes a change; the first one since the last push starts the clock.</summary>
    public void ChangeObserved() => Interlocked.CompareExchange(ref _firstChange, time.GetTimestamp(), 0);

    /// <summary>A recompute pushed new versions to these connected proxies.</summary>
    public void Pushed(IReadOnlyList<(string ProxyId, string Version)> pushed)
    {
        var started = Interlocked.Exchange(ref _firstChange, 0);
        if (started == 0 || pushed.Count == 0)
        {
            return;
        }

        _waves.Add(new Wave(started, pushed.ToDictionary(p => p.ProxyId, p => p.Version, StringComparer.Ordinal)));
        if (_waves.Count > MaxWaves)
        {
            _waves.RemoveAt(0);
        }
    }

    /// <summary>
    /// An ACK of <paramref name="version"/>; ACKing the proxy's latest version also settles older waves.
    /// </summary>
    /// <returns>Durations of the waves this ACK completed.</returns>
    public IReadOnlyList<TimeSpan> Acked(string proxyId, string version, string? latestVersion)
    {
        List<TimeSpan>? completed = null;
        for (var i = _waves.Count - 1; i >= 0; i--)
        {
            var wave = _waves[i];
            if (!wave.Pending.TryGetValue(proxyId, out var target) || (target != version && version != latestVersion))
            {
                continue;
            }

            wave.Pending.Remove(proxyId);
            if (wave.Pending.Count == 0)
            {
                (completed ??= []).Add(time.GetElapsedTime(wave.Started));
                _waves.RemoveAt(i);
            }
        }

        return completed ?? [];
    }

    /// <summary>A NACK: the waves waiting for this proxy will not converge.</summary>
    public void Nacked(string proxyId) => _waves.RemoveAll(w => w.Pending.ContainsKey(proxyId));

    /// <summary>The proxy left or disconnected; stop waiting for it (a wave it alone held is dropped unmeasured).</summary>
    public void Removed(string proxyId)
    {
        foreach (var wave in _waves)
        {
            wave.Pending.Remove(proxyId);
        }

        _waves.RemoveAll(w => w.Pending.Count == 0);
    }

    private sealed record Wave(long Started, Dictionary<string, string> Pending);
}

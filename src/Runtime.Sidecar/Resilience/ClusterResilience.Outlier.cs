using System.Globalization;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// Outlier detection with Envoy's semantics: consecutive 5xx, consecutive gateway errors (502/503/504) and, with
/// <c>splitExternalLocalOriginErrors</c>, consecutive local-origin failures (connect failure, reset, timeout seen by
/// this sidecar). Without the split, a local-origin failure counts as both a 5xx and a gateway error, as in Envoy.
/// An endpoint is ejected as soon as a counter reaches its threshold (unless that would put more than
/// <c>maxEjectionPercent</c> of the endpoints out; the first ejection is always allowed); an ejection lasts <c>baseEjectionTime</c> × the ejection multiplier (capped at
/// Envoy's 300 s or the base time), and readmission happens at the first interval sweep after that. Each sweep in
/// which an endpoint is not ejected lowers its multiplier by one, so an endpoint that stays healthy earns back short
/// ejections, as in Envoy.
/// </summary>
internal sealed partial class ClusterResilience
{
    /// <summary>
    /// Reports how one attempt on <paramref name="endpoint"/> ended. Call it after every attempt, retries included.
    /// Downstream-side outcomes (client gone, request body failed, response write failed) say nothing about the
    /// endpoint and are ignored.
    /// </summary>
    /// <param name="endpoint">The endpoint the attempt went to.</param>
    /// <param name="outcome">How the attempt ended.</param>
    /// <param name="statusCode">The upstream status when <paramref name="outcome"/> is <see cref="ForwardOutcome.Success"/>.</param>
    public void Record(MeshEndpoint endpoint, ForwardOutcome outcome, int statusCode)
    {
        if (Outlier is not { } settings || Find(endpoint) is not { } state)
        {
            return;
        }

        string? trigger;
        lock (state.Gate)
        {
            if (state.Ejected)
            {
                return;
            }

            state.RequestsThisInterval++;
            trigger = outcome switch
            {
                // A response the retry policy claimed (not relayed) is still the upstream's answer.
                ForwardOutcome.Success or ForwardOutcome.RetriableResponse => CountResponse(state, settings, statusCode),
                ForwardOutcome.ConnectFailure or ForwardOutcome.UpstreamReset or ForwardOutcome.UpstreamTimeout => CountLocalOrigin(state, settings, outcome),
                _ => null,
            };

            if (trigger is not null && state.RequestsThisInterval < settings.MinRequestVolume)
            {
                trigger = null;
            }
        }

        if (trigger is not null)
        {
            TryEject(state, settings, trigger);
        }
    }

    /// <summary>Whether <paramref name="endpoint"/> is ejected now.</summary>
    public bool IsEjected(MeshEndpoint endpoint) => Find(endpoint) is { } state && Volatile.Read(ref state.Ejected);

    /// <summary>The panic threshold (<c>minHealthPercent</c>); 0 when detection is off.</summary>
    public int MinHealthPercent => Outlier?.MinHealthPercent ?? 0;

    /// <summary>Readmits endpoints whose ejection ended and decays multipliers; runs every interval.</summary>
    public void Sweep()
    {
        var now = _time.GetUtcNow();
        var changed = false;
        foreach (var state in Volatile.Read(ref _endpoints).Values)
        {
            lock (state.Gate)
            {
                if (state.Ejected)
                {
                    if (now >= state.EjectedUntil)
                    {
                        state.Ejected = false;
                        state.ResetCounters();
                        changed = true;
                        LogReadmitted(_logger, Key, state.Address, state.Port);
                    }
                }
                else if (state.Multiplier > 0)
                {
                    state.Multiplier--;
                }

                state.RequestsThisInterval = 0;
            }
        }

        if (changed)
        {
            Interlocked.Increment(ref _ejectionVersion);
        }
    }

    private static string? CountResponse(ClusterResilienceEndpoint state, OutlierSettings settings, int status)
    {
        // Any HTTP response proves the connection works.
        state.ConsecutiveLocalOrigin = 0;
        if (status is < 500 or > 599)
        {
            state.Consecutive5xx = 0;
            state.ConsecutiveGateway = 0;
            return null;
        }

        state.Consecutive5xx++;
        if (status is 502 or 503 or 504)
        {
            state.ConsecutiveGateway++;
        }
        else
        {
            state.ConsecutiveGateway = 0;
        }

        return Triggered(state, settings, status, ForwardOutcome.Success);
    }

    private static string? CountLocalOrigin(ClusterResilienceEndpoint state, OutlierSettings settings, ForwardOutcome outcome)
    {
        if (settings.SplitLocalOrigin)
        {
            state.ConsecutiveLocalOrigin++;
            return settings.ConsecutiveLocalOrigin > 0 && state.ConsecutiveLocalOrigin >= settings.ConsecutiveLocalOrigin
                ? $"{state.ConsecutiveLocalOrigin} consecutive local-origin failures (last: {Last(0, outcome)})"
                : null;
        }

        state.Consecutive5xx++;
        state.ConsecutiveGateway++;
        return Triggered(state, settings, 0, outcome);
    }

    // The reason string is built only when a threshold is reached: failures below it allocate nothing.
    private static string? Triggered(ClusterResilienceEndpoint state, OutlierSettings settings, int status, ForwardOutcome outcome) =>
        settings.ConsecutiveGateway > 0 && state.ConsecutiveGateway >= settings.ConsecutiveGateway
            ? $"{state.ConsecutiveGateway} consecutive gateway errors (last: {Last(status, outcome)})"
            : settings.Consecutive5xx > 0 && state.Consecutive5xx >= settings.Consecutive5xx
                ? $"{state.Consecutive5xx} consecutive 5xx (last: {Last(status, outcome)})"
                : null;

    private static string Last(int status, ForwardOutcome outcome) => outcome switch
    {
        ForwardOutcome.Success => status.ToString(CultureInfo.InvariantCulture),
        ForwardOutcome.ConnectFailure => "connect failure",
        ForwardOutcome.UpstreamTimeout => "timeout",
        _ => "reset",
    };

    private void TryEject(ClusterResilienceEndpoint state, OutlierSettings settings, string reason)
    {
        // One ejection decision at a time per cluster, so maxEjectionPercent cannot be overshot by a race.
        lock (_lock)
        {
            var endpoints = Volatile.Read(ref _endpoints);
            var ejected = endpoints.Values.Count(e => Volatile.Read(ref e.Ejected));
            // Envoy's rule: eject only if the ejected share, this endpoint included, stays within the maximum; the
            // first ejection is always allowed (Envoy's always_eject_one_host), so one endpoint of a small cluster can
            // go at the default 10 %.
            if (ejected > 0 && (ejected + 1) * 100 > settings.MaxEjectionPercent * endpoints.Count)
            {
                LogEjectionRefused(_logger, Key, state.Address, state.Port, reason, ejected, settings.MaxEjectionPercent);
                return;
            }

            var now = _time.GetUtcNow();
            TimeSpan duration;
            lock (state.Gate)
            {
                if (state.Ejected)
                {
                    return;
                }

                // Envoy stops raising the multiplier once base × multiplier passes the cap by a base time, so an
                // endpoint back from a long bad spell earns back short ejections in a few healthy intervals.
                if ((double)settings.BaseEjectionTime.Ticks * state.Multiplier < settings.MaxEjectionTime.Ticks + settings.BaseEjectionTime.Ticks)
                {
                    state.Multiplier++;
                }

                state.TotalEjections++;
                duration = settings.EjectionTime(state.Multiplier);
                state.EjectedAt = now;
                state.EjectedUntil = now + duration;
                state.Reason = reason;
                state.ResetCounters();
                Volatile.Write(ref state.Ejected, true);
            }

            Interlocked.Increment(ref _ejectionVersion);
            LogEjected(_logger, Key, state.Address, state.Port, reason, duration, state.TotalEjections);
        }
    }

    private void ApplyOutlier(OutlierSettings? settings)
    {
        var previous = _outlier;
        if (settings == previous)
        {
            return;
        }

        Volatile.Write(ref _outlier, settings);
        if (settings?.Interval != previous?.Interval)
        {
            _sweep?.Dispose();
            _sweep = settings is null ? null : _time.CreateTimer(static s => ((ClusterResilience)s!).Sweep(), this, settings.Interval, settings.Interval);
        }

        if (settings is null)
        {
            // Detection turned off: nobody stays ejected.
            foreach (var state in _endpoints.Values)
            {
                lock (state.Gate)
                {
                    state.Ejected = false;
                    state.ResetCounters();
                }
            }

            Interlocked.Increment(ref _ejectionVersion);
        }
    }
}

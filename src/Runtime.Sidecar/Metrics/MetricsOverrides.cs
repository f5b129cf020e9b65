using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Telemetry;
using Runtime.Sidecar.Configuration;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// The Telemetry metrics overrides in force for this workload (<see cref="MetricsPolicy"/>), resolved once per pushed
/// snapshot. A request reads <see cref="Current"/>: one reference comparison with the snapshot it was resolved
/// from, no lock and no allocation until the next push.
/// </summary>
internal sealed class MetricsOverrides(ProxyConfig config)
{
    private Resolved? _resolved;

    /// <summary>The decision for the snapshot in force; every metric on before the first snapshot.</summary>
    public Resolved Current
    {
        get
        {
            if (config.Current?.Snapshot is not { } snapshot)
            {
                return Resolved.Default;
            }

            var resolved = Volatile.Read(ref _resolved);
            if (resolved is not null && ReferenceEquals(resolved.Snapshot, snapshot))
            {
                return resolved;
            }

            // Two requests racing on a new snapshot both resolve it; either result is the same.
            var policy = MetricsPolicy.Resolve(snapshot.Resources, config.Identity.Namespace, config.Identity.Labels);
            resolved = new Resolved(snapshot, policy, RequestMetricSet.Of(policy, client: true), RequestMetricSet.Of(policy, client: false));
            Volatile.Write(ref _resolved, resolved);
            return resolved;
        }
    }

    /// <summary>One snapshot's decision, with the request metrics of each side precomputed for the hot path.</summary>
    /// <param name="Snapshot">The snapshot it was resolved from (null: the default before any).</param>
    /// <param name="Policy">Every metric's state, for the TCP metrics and the exposition.</param>
    /// <param name="Client">The outbound listener's request metrics.</param>
    /// <param name="Server">The inbound listener's request metrics.</param>
    internal sealed record Resolved(ProxySnapshot? Snapshot, MetricsPolicy Policy, RequestMetricSet Client, RequestMetricSet Server)
    {
        /// <summary>No snapshot: every metric on.</summary>
        public static Resolved Default { get; } = new(null, MetricsPolicy.AllEnabled, RequestMetricSet.All, RequestMetricSet.All);

        /// <summary>The request metrics of one listener.</summary>
        public RequestMetricSet Side(bool outbound) => outbound ? Client : Server;
    }
}

using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Telemetry;

/// <summary>
/// Which of Istio's standard metrics a workload reports on each side, from Telemetry <c>metrics[].overrides</c> as
/// Istio applies them: every metric starts enabled; the mesh-wide level's overrides are applied in order, then the
/// namespace-wide level's, then the workload level's (<see cref="TelemetryLevels.Chain"/>), so a later
/// <c>disabled: false</c> turns back on what an earlier one turned off. Only entries for the Prometheus provider
/// count (no <c>providers</c>, or one named <c>prometheus</c>): it is the only metrics provider of the sidecar.
/// </summary>
public sealed class MetricsPolicy
{
    /// <summary>The provider whose overrides apply: Istio's default metrics provider.</summary>
    public const string PrometheusProvider = "prometheus";

    // Indexed by IstioMetric; AllMetrics' slot is unused.
    private static readonly int Count = Enum.GetValues<IstioMetric>().Length;
    private readonly bool[] _client;
    private readonly bool[] _server;

    private MetricsPolicy(bool[] client, bool[] server)
    {
        _client = client;
        _server = server;
    }

    /// <summary>No override: every metric on both sides.</summary>
    public static MetricsPolicy AllEnabled { get; } = new(Filled(true), Filled(true));

    /// <summary>Whether <paramref name="metric"/> is reported on the client side (<paramref name="client"/>) or the server side.</summary>
    /// <remarks><see cref="IstioMetric.AllMetrics"/> asks whether every metric is on.</remarks>
    public bool IsEnabled(IstioMetric metric, bool client)
    {
        var flags = client ? _client : _server;
        if (metric != IstioMetric.AllMetrics)
        {
            return flags[(int)metric];
        }

        for (var i = 1; i < flags.Length; i++)
        {
            if (!flags[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Resolves the policy of a workload from <paramref name="resources"/> (other kinds are ignored).</summary>
    /// <param name="resources">The resources in force, typically a proxy snapshot's.</param>
    /// <param name="namespace">The workload's namespace.</param>
    /// <param name="labels">The workload's labels, matched by <c>selector.matchLabels</c>.</param>
    public static MetricsPolicy Resolve(IEnumerable<MeshResource> resources, string @namespace, IReadOnlyDictionary<string, string> labels)
    {
        var chain = TelemetryLevels.Chain(resources, @namespace, labels, PrometheusOverrides);
        if (chain.Count == 0)
        {
            return AllEnabled;
        }

        var client = Filled(true);
        var server = Filled(true);
        foreach (var (_, overrides) in chain)
        {
            foreach (var change in overrides)
            {
                // Without disabled, an override only changes tags; a custom metric is none of the standard ones.
                if (change.Disabled is not { } disabled || change.Match is { Metric: null, CustomMetric: not null })
                {
                    continue;
                }

                var metric = change.Match?.Metric ?? IstioMetric.AllMetrics;
                var mode = change.Match?.Mode ?? WorkloadMode.ClientAndServer;
                for (var i = 1; i < Count; i++)
                {
                    if (metric == IstioMetric.AllMetrics || (int)metric == i)
                    {
                        client[i] = mode == WorkloadMode.Server ? client[i] : !disabled;
                        server[i] = mode == WorkloadMode.Client ? server[i] : !disabled;
                    }
                }
            }
        }

        return new MetricsPolicy(client, server);
    }

    /// <summary>The overrides of a spec's Prometheus entries, in order; null when it has none (it then takes no part).</summary>
    private static List<MetricsOverride>? PrometheusOverrides(TelemetrySpec spec)
    {
        var overrides = spec.Metrics?
            .Where(entry => entry.Providers is null or { Count: 0 } || entry.Providers.Any(p => string.Equals(p.Name, PrometheusProvider, StringComparison.Ordinal)))
            .SelectMany(entry => entry.Overrides ?? [])
            .ToList();
        return overrides is { Count: > 0 } ? overrides : null;
    }

    private static bool[] Filled(bool value)
    {
        var flags = new bool[Count];
        Array.Fill(flags, value);
        return flags;
    }
}

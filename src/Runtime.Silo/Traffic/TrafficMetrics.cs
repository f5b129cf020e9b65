using System.Diagnostics.Metrics;

namespace Runtime.Silo.Traffic;

/// <summary>What the traffic store refused, as counters on the silo's <c>Runtime.Silo</c> meter.</summary>
internal static class TrafficMetrics
{
    /// <summary>Adds the store's refusal counters to <paramref name="meter"/>.</summary>
    public static void Observe(Meter meter, TrafficStore store)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(store);
        meter.CreateObservableCounter(
            "silo.traffic.edges.dropped", () => store.DroppedEdges,
            description: "Service-graph edges of traffic reports not kept: implausible numbers, or over the per-proxy limit of edges per second.");
        meter.CreateObservableCounter(
            "silo.traffic.reports.dropped",
            () => new Measurement<long>[]
            {
                new(store.RepeatedReports, new KeyValuePair<string, object?>("reason", "repeated")),
                new(store.RefusedReports, new KeyValuePair<string, object?>("reason", "deregistered")),
            },
            description: "Traffic reports not counted: taken already (sent again after a failed heartbeat), or from a deregistered proxy.");
    }
}

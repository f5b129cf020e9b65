using System.Diagnostics;
using OpenTelemetry.Trace;
using Runtime.Sidecar.Hosting;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// The exporter of one mesh-config collector: each span holds a lease from start to stop, and once config stops
/// naming the collector the last lease flushes the batch and disposes the provider (<see cref="LeasedLifetime"/>),
/// so spans of requests in flight are still sent and nothing is sent after.
/// </summary>
internal sealed class MeshSpanExporter(ActivitySource source, TracerProvider provider)
{
    /// <summary>The source this collector's spans are created from.</summary>
    public ActivitySource Source => source;

    /// <summary>The leases on the exporter; closing flushes (bounded by the exporter's timeout) off the request thread.</summary>
    public LeasedLifetime Lifetime { get; } = new(() => Task.Run(() =>
    {
        provider.Dispose();
        source.Dispose();
    }));
}

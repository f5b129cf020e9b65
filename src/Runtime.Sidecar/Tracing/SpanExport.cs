using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// Where finished spans go: an OpenTelemetry SDK tracer provider with the OTLP exporter behind a batch processor
/// (export runs on the SDK's own thread, never on a request), listening to this sidecar's own
/// <see cref="ActivitySource"/>. Without <c>--tracing-endpoint</c> there is no provider and no span is created.
/// </summary>
internal sealed class SpanExport : IDisposable
{
    private static int s_instances;
    private readonly TracerProvider? _provider;

    public SpanExport(SidecarOptions options, SidecarIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        // Activity listeners are process-wide and several sidecars may share one process (in-process hosts, tests):
        // each sidecar gets a source name of its own so it exports only its own spans.
        Source = new ActivitySource($"Runtime.Sidecar.Tracing.{Interlocked.Increment(ref s_instances)}");
        if (options.TracingEndpoint is not { } endpoint)
        {
            return;
        }

        _provider = Sdk.CreateTracerProviderBuilder()
            .AddSource(Source.Name)
            // The sidecar decides sampling itself (TracingPolicy, parent-based) and creates activities only for sampled requests.
            .SetSampler(new AlwaysOnSampler())
            .ConfigureResource(resource => resource.AddService($"{identity.Service}.{identity.Namespace}", serviceInstanceId: options.Instance))
            .AddOtlpExporter(otlp =>
            {
                otlp.Endpoint = EndpointFor(endpoint, options.TracingProtocol);
                otlp.Protocol = options.TracingProtocol == TracingProtocol.Grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                otlp.ExportProcessorType = ExportProcessorType.Batch;
            })
            .Build();
    }

    /// <summary>The source this sidecar's spans are created from.</summary>
    public ActivitySource Source { get; }

    /// <summary>Whether spans are exported at all (an endpoint was configured).</summary>
    public bool Enabled => _provider is not null;

    /// <summary>
    /// The OTLP endpoint for <paramref name="url"/>: with OTLP/HTTP a URL without a path gets <c>/v1/traces</c>
    /// (a path given is used as is); with gRPC the URL is used as is.
    /// </summary>
    public static Uri EndpointFor(Uri url, TracingProtocol protocol)
    {
        ArgumentNullException.ThrowIfNull(url);
        return protocol == TracingProtocol.HttpProtobuf && url.AbsolutePath is "/" or "" ? new Uri(url, "/v1/traces") : url;
    }

    /// <summary>Flushes what is queued (bounded by the exporter's timeout) and stops exporting.</summary>
    public void Dispose()
    {
        _provider?.Dispose();
        Source.Dispose();
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Runtime.Abstractions.Mesh;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tracing;

/// <summary>
/// Where finished spans go: an OpenTelemetry SDK tracer provider with the OTLP exporter behind a batch processor
/// (export runs on the SDK's own thread, never on a request), listening to this sidecar's own
/// <see cref="ActivitySource"/>. The collector is <c>--tracing-endpoint</c>, else the mesh config's <c>opentelemetry</c>
/// provider (issue 6); with neither there is no provider and no span is created.
/// </summary>
internal sealed class SpanExport : IDisposable
{
    private static int s_instances;
    private readonly TracerProvider? _provider;
    private readonly SidecarOptions _options;
    private readonly SidecarIdentity _identity;
    private readonly ConcurrentDictionary<OtlpTarget, Lazy<MeshSpanExporter>> _meshTargets = new();
    private readonly ConcurrentDictionary<ActivitySource, MeshSpanExporter> _bySource = new();
    private readonly ConcurrentQueue<MeshSpanExporter> _retired = new();

    public SpanExport(SidecarOptions options, SidecarIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(identity);
        _options = options;
        _identity = identity;
        Source = NewSource();
        if (options.TracingEndpoint is not { } endpoint)
        {
            return;
        }

        _provider = Build(Source, EndpointFor(endpoint, options.TracingProtocol), options.TracingProtocol == TracingProtocol.Grpc);
    }

    /// <summary>The source this sidecar's spans are created from when <c>--tracing-endpoint</c> is set.</summary>
    public ActivitySource Source { get; }

    /// <summary>Whether <c>--tracing-endpoint</c> was configured.</summary>
    public bool Enabled => _provider is not null;

    /// <summary>
    /// The source spans are created from: the <c>--tracing-endpoint</c> one when the flag is set (it overrides mesh
    /// config), else one exporting to <paramref name="meshTarget"/> (built on first use, with a lease the caller
    /// returns through <see cref="Release"/> once its span stopped), else null: no spans.
    /// </summary>
    public ActivitySource? SourceFor(OtlpTarget? meshTarget)
    {
        if (_provider is not null)
        {
            return Source;
        }

        if (meshTarget is null)
        {
            return null;
        }

        while (true)
        {
            var slot = _meshTargets.GetOrAdd(meshTarget, target => new(() =>
            {
                var source = NewSource();
                var created = new MeshSpanExporter(source, Build(source, target.Endpoint, target.Grpc));
                _bySource[source] = created;
                _ = created.Lifetime.Closed.ContinueWith(_ => _bySource.TryRemove(source, out var _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                return created;
            }));
            var exporter = slot.Value;
            if (exporter.Lifetime.TryAcquire())
            {
                // Retired while it was being built (Retire skips an unbuilt one): this span still uses it, and it
                // closes when the span ends instead of staying open with no config naming it.
                if (!_meshTargets.TryGetValue(meshTarget, out var current) || !ReferenceEquals(current, slot))
                {
                    _retired.Enqueue(exporter);
                    exporter.Lifetime.Retire();
                }

                return exporter.Source;
            }
        }
    }

    /// <summary>Returns the lease <see cref="SourceFor"/> took for <paramref name="source"/> (nothing for the flag's source).</summary>
    public void Release(ActivitySource source)
    {
        if (_bySource.TryGetValue(source, out var exporter))
        {
            exporter.Lifetime.Release();
        }
    }

    /// <summary>Flushes and disposes the exporters of collectors not in <paramref name="targets"/> once their spans ended.</summary>
    public void Retain(IReadOnlyCollection<OtlpTarget> targets)
    {
        foreach (var target in _meshTargets.Keys)
        {
            if (!targets.Contains(target))
            {
                Retire(target);
            }
        }
    }

    private void Retire(OtlpTarget target)
    {
        if (_meshTargets.TryRemove(target, out var exporter) && exporter.IsValueCreated)
        {
            _retired.Enqueue(exporter.Value);
            exporter.Value.Lifetime.Retire();
        }
    }

    // Activity listeners are process-wide and several sidecars may share one process (in-process hosts, tests):
    // each source gets a name of its own so a provider exports only its own spans.
    private static ActivitySource NewSource() => new($"Runtime.Sidecar.Tracing.{Interlocked.Increment(ref s_instances)}");

    private TracerProvider Build(ActivitySource source, Uri endpoint, bool grpc) => Sdk.CreateTracerProviderBuilder()
        .AddSource(source.Name)
        // The sidecar decides sampling itself (TracingPolicy, parent-based) and creates activities only for sampled requests.
        .SetSampler(new AlwaysOnSampler())
        .ConfigureResource(resource => resource.AddService($"{_identity.Service}.{_identity.Namespace}", serviceInstanceId: _options.Instance))
        .AddOtlpExporter(otlp =>
        {
            otlp.Endpoint = endpoint;
            otlp.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
            otlp.ExportProcessorType = ExportProcessorType.Batch;
        })
        .Build();

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
        foreach (var target in _meshTargets.Keys)
        {
            Retire(target);
        }

        while (_retired.TryDequeue(out var exporter))
        {
            exporter.Lifetime.Closed.GetAwaiter().GetResult();
        }
    }
}

using System.Diagnostics;
using Runtime.Abstractions.Mesh;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Tests.Mesh;
using Runtime.Sidecar.Tracing;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>
/// A mesh-config collector's exporter released when config stops naming it: a span started before still reaches the
/// collector, and afterwards nothing listens to its source any more (no span is created, none sent).
/// </summary>
public sealed class SpanExportLifetimeTests
{
    [Fact]
    public async Task Retain_WithoutTheTarget_FlushesInFlightSpanThenStopsListening()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        using var export = new SpanExport(new SidecarOptions { Service = "productpage" }, new SidecarIdentity("productpage", "default", new Dictionary<string, string>(), "productpage"));
        var target = new OtlpTarget(new Uri(receiver.Address, "/v1/traces"), Grpc: false);

        var source = export.SourceFor(target)!;
        var inFlight = source.StartActivity("in-flight", ActivityKind.Server)!;
        export.Retain([]);
        Assert.True(source.HasListeners(), "retired while a span was in flight: the exporter must stay until it ends");

        inFlight.Stop();
        export.Release(source);
        await Eventually.Async("the in-flight span at the collector", () => Task.FromResult(receiver.Spans.Any(s => s.Span.Name == "in-flight")));
        await Eventually.Async("the retired source without listeners", () => Task.FromResult(!source.HasListeners()));
        Assert.Null(source.StartActivity("after", ActivityKind.Server));

        // Config naming the collector again gets a new exporter.
        var again = export.SourceFor(target)!;
        Assert.NotSame(source, again);
        Assert.True(again.HasListeners());
        export.Release(again);
    }
}

using System.Text.Json;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Tracing;

namespace Runtime.Sidecar.Tests.MeshConfig;

/// <summary>Mesh config's enableTracing, sampling and providers below Telemetry tracing.</summary>
public sealed class MeshConfigTracingPolicyTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews" };

    private static MeshResource Resource(string kind, string ns, string spec) => new()
    {
        ApiVersion = kind == "MeshConfig" ? "mesh.istio.io/v1alpha1" : "telemetry.istio.io/v1",
        Kind = kind,
        Metadata = new ObjectMeta { Name = kind == "MeshConfig" ? "istio" : "t", Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private static readonly MeshResource Mesh = Resource("MeshConfig", "istio-system", """
        {"enableTracing":true,"defaultConfig":{"tracing":{"sampling":25}},
         "extensionProviders":[{"name":"otel","opentelemetry":{"service":"otel.svc","port":4318,"http":{"path":"/v1/traces"}}},
                               {"name":"other","opentelemetry":{"service":"other.svc","port":4317}}],
         "defaultProviders":{"tracing":["otel"]}}
        """);

    private static TracingPolicy Resolve(params MeshResource[] resources) => TracingPolicy.Resolve(resources, "default", Reviews, client: true, _ => null);

    [Fact]
    public void Resolve_MeshConfigOnly_SamplingAndDefaultProvider()
    {
        var policy = Resolve(Mesh);

        Assert.Equal(25, policy.SamplingPercentage);
        Assert.True(policy.ReportSpans);
        Assert.Equal(new Uri("http://otel.svc:4318/v1/traces"), policy.Target?.Endpoint);
    }

    [Fact]
    public void Resolve_TelemetrySamplingAndProvider_OverrideMeshConfig()
    {
        var policy = Resolve(Mesh, Resource("Telemetry", "default", """{"tracing":[{"randomSamplingPercentage":100,"providers":[{"name":"other"}]}]}"""));

        Assert.Equal(100, policy.SamplingPercentage);
        Assert.Equal(new OtlpTarget(new Uri("http://other.svc:4317"), Grpc: true), policy.Target);
    }

    [Fact]
    public void Resolve_TelemetryWithoutSampling_KeepsMeshSampling() =>
        Assert.Equal(25, Resolve(Mesh, Resource("Telemetry", "default", """{"tracing":[{"customTags":{"a":{"literal":{"value":"b"}}}}]}""")).SamplingPercentage);

    [Fact]
    public void Resolve_EnableTracingFalse_NoSpansReported() =>
        Assert.False(Resolve(Resource("MeshConfig", "istio-system", """{"enableTracing":false}""")).ReportSpans);
}

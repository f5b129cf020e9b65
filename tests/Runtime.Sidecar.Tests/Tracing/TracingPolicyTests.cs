using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Sidecar.Tracing;

namespace Runtime.Sidecar.Tests.Tracing;

/// <summary>Which Telemetry decides a side's sampling (mesh &lt; namespace &lt; workload, as access logs), and custom tags.</summary>
public sealed class TracingPolicyTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews" };

    private static MeshResource Telemetry(string ns, string name, string spec) => new()
    {
        ApiVersion = "telemetry.istio.io/v1",
        Kind = "Telemetry",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private static TracingPolicy Resolve(IEnumerable<MeshResource> resources, bool client, IReadOnlyDictionary<string, string>? labels = null) =>
        TracingPolicy.Resolve(resources, "default", labels ?? Reviews, client, name => name == "POD_REGION" ? "eu-west" : null);

    [Fact]
    public void Resolve_NoTelemetry_IstioDefaultOnePercent()
    {
        var policy = Resolve([], client: true);

        Assert.Equal(1.0, policy.SamplingPercentage);
        Assert.True(policy.ReportSpans);
    }

    [Fact]
    public void Resolve_WorkloadOverNamespaceOverMesh()
    {
        var mesh = Telemetry("istio-system", "mesh", """{"tracing":[{"randomSamplingPercentage":10}]}""");
        var ns = Telemetry("default", "ns", """{"tracing":[{"randomSamplingPercentage":50}]}""");
        var workload = Telemetry("default", "reviews", """{"selector":{"matchLabels":{"app":"reviews"}},"tracing":[{"randomSamplingPercentage":100,"disableSpanReporting":true}]}""");

        Assert.Equal(10, Resolve([mesh], client: false).SamplingPercentage);
        Assert.Equal(50, Resolve([mesh, ns], client: false).SamplingPercentage);
        var chosen = Resolve([mesh, ns, workload], client: false);
        Assert.Equal(100, chosen.SamplingPercentage);
        Assert.False(chosen.ReportSpans);
        Assert.Equal(50, Resolve([mesh, ns, workload], client: false, new Dictionary<string, string> { ["app"] = "ratings" }).SamplingPercentage);
    }

    [Fact]
    public void Resolve_MatchMode_AppliesToThatSideOnly()
    {
        var client = Telemetry("default", "client", """{"tracing":[{"match":{"mode":"CLIENT"},"randomSamplingPercentage":0}]}""");

        Assert.Equal(0, Resolve([client], client: true).SamplingPercentage);
        Assert.False(Resolve([client], client: true).Sample());
        Assert.Equal(TracingPolicy.DefaultSamplingPercentage, Resolve([client], client: false).SamplingPercentage);
    }

    [Fact]
    public void Resolve_CustomTags_LiteralEnvironmentAndHeader()
    {
        var telemetry = Telemetry("istio-system", "mesh", """
            {"tracing":[{"randomSamplingPercentage":100,"customTags":{
              "team":{"literal":{"value":"payments"}},
              "region":{"environment":{"name":"POD_REGION"}},
              "zone":{"environment":{"name":"UNSET_VARIABLE","defaultValue":"none"}},
              "user":{"header":{"name":"x-user","defaultValue":"anonymous"}}}}]}
            """);

        var policy = Resolve([telemetry], client: true);

        Assert.True(policy.Sample());
        Assert.Contains(new SpanTag("team", "payments"), policy.LiteralTags);
        Assert.Contains(new SpanTag("region", "eu-west"), policy.LiteralTags);
        Assert.Contains(new SpanTag("zone", "none"), policy.LiteralTags);
        Assert.Equal(new HeaderTag("user", "x-user", "anonymous"), Assert.Single(policy.HeaderTags));
    }
}

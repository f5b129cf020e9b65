using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Tests.Telemetry.Expressions;

namespace Runtime.Abstractions.Tests.Telemetry;

/// <summary>Which Telemetry decides a workload side's access logging (mesh &lt; namespace &lt; workload).</summary>
public sealed class AccessLogPolicyTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews", ["version"] = "v1" };

    private static MeshResource Telemetry(string ns, string name, string spec) => new()
    {
        ApiVersion = "telemetry.istio.io/v1",
        Kind = "Telemetry",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    [Fact]
    public void Resolve_NoTelemetry_IsOff() =>
        Assert.False(AccessLogPolicy.Resolve([], "default", Reviews, client: true).Enabled);

    [Fact]
    public void Resolve_WorkloadOverNamespaceOverMesh()
    {
        var mesh = Telemetry("istio-system", "mesh", """{"accessLogging":[{"providers":[{"name":"envoy"}]}]}""");
        var ns = Telemetry("default", "ns", """{"accessLogging":[{"filter":{"expression":"response.code >= 400"}}]}""");
        var workload = Telemetry("default", "reviews", """{"selector":{"matchLabels":{"app":"reviews"}},"accessLogging":[{"disabled":true}]}""");

        var meshOnly = AccessLogPolicy.Resolve([mesh], "default", Reviews, client: false);
        var withNamespace = AccessLogPolicy.Resolve([mesh, ns], "default", Reviews, client: false);
        var withWorkload = AccessLogPolicy.Resolve([mesh, ns, workload], "default", Reviews, client: false);
        var otherWorkload = AccessLogPolicy.Resolve([mesh, ns, workload], "default", new Dictionary<string, string> { ["app"] = "ratings" }, client: false);

        Assert.True(meshOnly.ShouldLog(RequestAttributes.Answered(200)));
        Assert.Equal("istio-system/mesh", meshOnly.Source);
        Assert.False(withNamespace.ShouldLog(RequestAttributes.Answered(200)));
        Assert.True(withNamespace.ShouldLog(RequestAttributes.Answered(404)));
        Assert.False(withWorkload.Enabled);
        Assert.Equal("default/reviews", withWorkload.Source);
        Assert.Equal("default/ns", otherWorkload.Source);
    }

    [Fact]
    public void Resolve_MatchMode_AppliesToThatSideOnly()
    {
        var server = Telemetry("default", "server", """{"accessLogging":[{"match":{"mode":"SERVER"}}]}""");

        Assert.True(AccessLogPolicy.Resolve([server], "default", Reviews, client: false).Enabled);
        Assert.False(AccessLogPolicy.Resolve([server], "default", Reviews, client: true).Enabled);
    }
}

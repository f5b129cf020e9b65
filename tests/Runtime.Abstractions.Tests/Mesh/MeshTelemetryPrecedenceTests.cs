using System.Text.Json;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Tests.Telemetry.Expressions;

namespace Runtime.Abstractions.Tests.Mesh;

/// <summary>Mesh config as the level below every Telemetry resource, for access logs.</summary>
public sealed class MeshTelemetryPrecedenceTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews" };

    private static MeshResource Resource(string kind, string ns, string name, string spec) => new()
    {
        ApiVersion = kind == "MeshConfig" ? "mesh.istio.io/v1alpha1" : "telemetry.istio.io/v1",
        Kind = kind,
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    private static MeshResource Mesh(string spec) => Resource("MeshConfig", "istio-system", "istio", spec);

    [Fact]
    public void Resolve_AccessLogFileOnly_OnForBothSidesFromMeshConfig()
    {
        var policy = AccessLogPolicy.Resolve([Mesh("""{"accessLogFile":"/var/log/a.log","accessLogEncoding":"JSON"}""")], "default", Reviews, client: true);

        Assert.True(policy.ShouldLog(RequestAttributes.Answered(200)));
        Assert.Equal("istio-system/istio", policy.Source);
        Assert.Equal(new AccessLogOutput("/var/log/a.log", AccessLogEncoding.Json, null, null), policy.Output);
    }

    [Fact]
    public void Resolve_EmptyAccessLogFile_Off() =>
        Assert.False(AccessLogPolicy.Resolve([Mesh("""{"accessLogFile":""}""")], "default", Reviews, client: false).Enabled);

    [Fact]
    public void Resolve_TelemetryDisabled_OverridesAccessLogFile()
    {
        var quiet = Resource("Telemetry", "default", "quiet", """{"accessLogging":[{"disabled":true}]}""");

        Assert.False(AccessLogPolicy.Resolve([Mesh("""{"accessLogFile":"/dev/stdout"}"""), quiet], "default", Reviews, client: true).Enabled);
    }

    [Fact]
    public void Resolve_TelemetryFilter_ReplacesMeshDefaultAndKeepsItsFile()
    {
        var errors = Resource("Telemetry", "default", "errors", """{"accessLogging":[{"filter":{"expression":"response.code >= 500"}}]}""");
        var policy = AccessLogPolicy.Resolve([Mesh("""{"accessLogFile":"/var/log/a.log"}"""), errors], "default", Reviews, client: true);

        Assert.False(policy.ShouldLog(RequestAttributes.Answered(200)));
        Assert.True(policy.ShouldLog(RequestAttributes.Answered(503)));
        Assert.Equal("default/errors", policy.Source);
        Assert.Equal("/var/log/a.log", policy.Output?.Path);
    }

    [Fact]
    public void Resolve_TelemetryProviderName_PicksThatFileProvider()
    {
        var mesh = Mesh("""{"extensionProviders":[{"name":"audit","envoyFileAccessLog":{"path":"/var/log/audit.log","logFormat":{"text":"%RESPONSE_CODE%"}}}]}""");
        var named = Resource("Telemetry", "istio-system", "mesh", """{"accessLogging":[{"providers":[{"name":"audit"}]}]}""");
        var unknown = Resource("Telemetry", "default", "typo", """{"accessLogging":[{"providers":[{"name":"adit"}]}]}""");

        var policy = AccessLogPolicy.Resolve([mesh, named], "default", Reviews, client: true);
        Assert.True(policy.Enabled);
        Assert.Equal("/var/log/audit.log", policy.Output?.Path);
        Assert.Equal(AccessLogField.ResponseCode, Assert.Single(policy.Output!.Template!.Segments).Field);
        // As in Istio, a Telemetry whose providers are unknown logs nothing.
        Assert.False(AccessLogPolicy.Resolve([mesh, named, unknown], "default", Reviews, client: true).Enabled);
    }

    [Fact]
    public void Resolve_NoMeshConfig_EnvoyProviderUsesTheSidecarsOwnSettings()
    {
        var envoy = Resource("Telemetry", "istio-system", "mesh", """{"accessLogging":[{"providers":[{"name":"envoy"}]}]}""");
        var policy = AccessLogPolicy.Resolve([envoy], "default", Reviews, client: true);

        Assert.True(policy.Enabled);
        Assert.Null(policy.Output);
    }

    [Fact]
    public void TraceTargetFor_TelemetryProviderOverDefault_GrpcWithoutHttpBlock()
    {
        var telemetry = MeshTelemetry.From([Mesh("""
            {"extensionProviders":[{"name":"a","opentelemetry":{"service":"a.svc","port":4317}},{"name":"b","opentelemetry":{"service":"b.svc","port":4318,"http":{}}}],
             "defaultProviders":{"tracing":["a"]}}
            """)]);

        Assert.Equal(new OtlpTarget(new Uri("http://a.svc:4317"), Grpc: true), telemetry.TraceTargetFor(null));
        Assert.Equal(new OtlpTarget(new Uri("http://b.svc:4318/v1/traces"), Grpc: false), telemetry.TraceTargetFor([new ProviderRef { Name = "b" }]));
        Assert.Null(telemetry.TraceTargetFor([new ProviderRef { Name = "missing" }]));
    }
}

using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Telemetry;

/// <summary>Telemetry metrics overrides: applied in order, mesh then namespace then workload, per side and per metric.</summary>
public sealed class MetricsPolicyTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews", ["version"] = "v1" };
    private static readonly Dictionary<string, string> Ratings = new() { ["app"] = "ratings" };

    private static MeshResource Telemetry(string ns, string name, string spec) => new()
    {
        ApiVersion = "telemetry.istio.io/v1",
        Kind = "Telemetry",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    [Fact]
    public void Resolve_NoTelemetry_EverythingOn()
    {
        var policy = MetricsPolicy.Resolve([], "default", Reviews);

        Assert.Same(MetricsPolicy.AllEnabled, policy);
        Assert.True(policy.IsEnabled(IstioMetric.AllMetrics, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.TcpSentBytes, client: false));
    }

    [Fact]
    public void Resolve_RequestCountOnClientOnly_OnlyThatMetricAndSide()
    {
        var mesh = Telemetry("istio-system", "mesh", """
            {"metrics":[{"providers":[{"name":"prometheus"}],"overrides":[{"match":{"metric":"REQUEST_COUNT","mode":"CLIENT"},"disabled":true}]}]}
            """);

        var policy = MetricsPolicy.Resolve([mesh], "default", Reviews);

        Assert.False(policy.IsEnabled(IstioMetric.RequestCount, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.RequestCount, client: false));
        Assert.True(policy.IsEnabled(IstioMetric.RequestDuration, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.ResponseSize, client: true));
        Assert.False(policy.IsEnabled(IstioMetric.AllMetrics, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.AllMetrics, client: false));
    }

    [Fact]
    public void Resolve_LevelsApplyOnTopOfEachOther_MeshThenNamespaceThenWorkload()
    {
        // Mesh: everything off. Namespace: the request count back on. Workload (reviews): the count off again, server side.
        var mesh = Telemetry("istio-system", "mesh", """{"metrics":[{"overrides":[{"disabled":true}]}]}""");
        var ns = Telemetry("default", "ns", """{"metrics":[{"overrides":[{"match":{"metric":"REQUEST_COUNT"},"disabled":false}]}]}""");
        var workload = Telemetry("default", "reviews", """
            {"selector":{"matchLabels":{"app":"reviews"}},"metrics":[{"overrides":[{"match":{"metric":"REQUEST_COUNT","mode":"SERVER"},"disabled":true}]}]}
            """);

        var reviews = MetricsPolicy.Resolve([workload, ns, mesh], "default", Reviews);
        var ratings = MetricsPolicy.Resolve([workload, ns, mesh], "default", Ratings);
        var otherNamespace = MetricsPolicy.Resolve([workload, ns, mesh], "shop", Reviews);

        Assert.True(reviews.IsEnabled(IstioMetric.RequestCount, client: true));
        Assert.False(reviews.IsEnabled(IstioMetric.RequestCount, client: false));
        Assert.False(reviews.IsEnabled(IstioMetric.RequestDuration, client: true));
        Assert.True(ratings.IsEnabled(IstioMetric.RequestCount, client: true));
        Assert.True(ratings.IsEnabled(IstioMetric.RequestCount, client: false));
        Assert.False(ratings.IsEnabled(IstioMetric.TcpOpenedConnections, client: false));
        Assert.False(otherNamespace.IsEnabled(IstioMetric.RequestCount, client: true));
        Assert.False(otherNamespace.IsEnabled(IstioMetric.RequestCount, client: false));
    }

    [Fact]
    public void Resolve_OverridesInOneLevel_AppliedInOrder()
    {
        var mesh = Telemetry("istio-system", "mesh", """
            {"metrics":[{"overrides":[{"match":{"metric":"ALL_METRICS"},"disabled":true},{"match":{"metric":"REQUEST_DURATION","mode":"CLIENT_AND_SERVER"},"disabled":false}]}]}
            """);

        var policy = MetricsPolicy.Resolve([mesh], "default", Reviews);

        Assert.True(policy.IsEnabled(IstioMetric.RequestDuration, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.RequestDuration, client: false));
        Assert.False(policy.IsEnabled(IstioMetric.RequestCount, client: true));
        Assert.False(policy.IsEnabled(IstioMetric.TcpReceivedBytes, client: true));
    }

    [Fact]
    public void Resolve_OtherProviderTagsOnlyOrCustomMetric_ChangeNothing()
    {
        var mesh = Telemetry("istio-system", "mesh", """
            {"metrics":[
              {"providers":[{"name":"stackdriver"}],"overrides":[{"disabled":true}]},
              {"overrides":[
                {"match":{"metric":"REQUEST_COUNT"},"tagOverrides":{"request_protocol":{"operation":"REMOVE"}}},
                {"match":{"customMetric":"my_metric"},"disabled":true}]}]}
            """);

        var policy = MetricsPolicy.Resolve([mesh], "default", Reviews);

        Assert.True(policy.IsEnabled(IstioMetric.AllMetrics, client: true));
        Assert.True(policy.IsEnabled(IstioMetric.AllMetrics, client: false));
    }

    [Fact]
    public void Validate_TagOverrides_WarnedAsNotApplied()
    {
        var result = ManifestReader.Read("""
            apiVersion: telemetry.istio.io/v1
            kind: Telemetry
            metadata: {name: mesh-default, namespace: istio-system}
            spec:
              metrics:
                - providers: [{name: prometheus}]
                  overrides:
                    - match: {metric: REQUEST_COUNT, mode: CLIENT}
                      disabled: true
                    - tagOverrides: {request_protocol: {operation: REMOVE}}
            """, "telemetry.yaml");

        Assert.False(result.HasErrors, string.Join("\n", result.Issues));
        var warning = Assert.Single(result.Issues);
        Assert.Equal(IssueSeverity.Warning, warning.Severity);
        Assert.Equal("spec.metrics[0].overrides[1].tagOverrides", warning.Path);
        Assert.Contains("not applied", warning.Message, StringComparison.Ordinal);
    }
}

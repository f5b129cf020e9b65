using System.Text.Json;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Tests.Resources;

public class SeedManifestTests
{
    public static TheoryData<string> Seeds() => [.. System.IO.Directory.GetFiles(FixtureFiles.Directory("seeds"), "*.yaml").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Read_Seed_HasNoErrorsAndBindsEveryResource(string file)
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", file), file);

        Assert.True(!result.HasErrors, string.Join("\n", result.Issues));
        Assert.NotEmpty(result.Resources);
        foreach (var resource in result.Resources)
        {
            Assert.True(MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var kind));
            var bound = kind.Bind(resource.Spec);
            Assert.IsType(kind.SpecType, bound.Value);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void ToYaml_Seed_RoundTripsToEqualSpecs(string file)
    {
        var first = ManifestReader.Read(FixtureFiles.Read("seeds", file), file);

        var yaml = ManifestReader.Read(ManifestWriter.ToYaml(first.Resources), "yaml");
        var json = ManifestReader.Read(ManifestWriter.ToJson(first.Resources), "json");

        foreach (var second in new[] { yaml, json })
        {
            Assert.False(second.HasErrors, string.Join("\n", second.Issues));
            Assert.Equal(first.Resources.Count, second.Resources.Count);
            for (var i = 0; i < first.Resources.Count; i++)
            {
                Assert.True(JsonElement.DeepEquals(first.Resources[i].Spec, second.Resources[i].Spec), first.Resources[i].Key.ToString());
                Assert.Equal(first.Resources[i].Metadata, second.Resources[i].Metadata with { Labels = first.Resources[i].Metadata.Labels, Annotations = first.Resources[i].Metadata.Annotations });
            }
        }
    }

    [Fact]
    public void Read_ProductionGuide_SkipsNonMeshKindsAndBindsTypedValues()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", "seed-000-production-guide.yaml"), "seed-000");

        var skipped = result.Issues.Where(i => i.Message.Contains("is not mesh configuration; skipped")).ToList();
        Assert.Single(skipped);
        Assert.All(skipped, i => Assert.Equal(IssueSeverity.Warning, i.Severity));
        // The IstioOperator's meshConfig is the mesh config (issue 6); its install settings are warned about.
        Assert.Contains(result.Resources, r => r.Kind == "MeshConfig" && r.Metadata.Name == "istio");
        Assert.Contains(result.Issues, i => i.Kind == "IstioOperator" && i.Path == "spec.profile" && i.Severity == IssueSeverity.Warning);

        var reviews = Spec<VirtualServiceSpec>(result, "VirtualService", "reviews");
        Assert.Equal("production", result.Resources.First(r => r.Metadata.Name == "reviews").Metadata.Namespace);
        Assert.Equal("/reviews/v2", reviews.Http![0].Match![0].Uri!.Prefix);
        Assert.Equal([80, 20], reviews.Http[1].Route!.Select(r => r.Weight!.Value));

        var api = Spec<VirtualServiceSpec>(result, "VirtualService", "api");
        Assert.Equal(8080, api.Http![0].Route![0].Destination!.Port!.Number);
        Assert.Equal(TimeSpan.FromSeconds(2), api.Http[0].Retries!.PerTryTimeout!.Value.Value);
        Assert.Equal(TimeSpan.FromSeconds(10), api.Http[0].Timeout!.Value.Value);

        var breaker = Spec<DestinationRuleSpec>(result, "DestinationRule", "api");
        Assert.Equal(5, breaker.TrafficPolicy!.OutlierDetection!.MinRequestVolume);
        Assert.Equal(50, breaker.TrafficPolicy.OutlierDetection.MaxEjectionPercent);

        var jwt = Spec<RequestAuthenticationSpec>(result, "RequestAuthentication", "jwt-auth");
        Assert.Equal(["api"], jwt.JwtRules![0].Audiences!);
        Assert.Contains(result.Issues, i => i.Severity == IssueSeverity.Warning && i.Path == "spec.jwtRules[0].audiences" && i.Line is > 0);

        var gateway = Spec<GatewaySpec>(result, "Gateway", "egress-gateway");
        Assert.Equal(ServerTlsMode.Passthrough, gateway.Servers![0].Tls!.Mode);
        Assert.Equal("^/admin.*", Spec<VirtualServiceSpec>(result, "VirtualService", "web-app").Http![0].Match![0].Uri!.Regex);
    }

    [Fact]
    public void Read_KubernetesIstioTutorial_WarnsOnDeprecatedConsecutiveErrors()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", "seed-001-kubernetes-istio.yaml"), "seed-001");

        Assert.Equal(3, result.Issues.Count(i => i.Message.Contains("is not mesh configuration")));
        var deprecated = Assert.Single(result.Issues, i => i.Path == "spec.trafficPolicy.outlierDetection.consecutiveErrors");
        Assert.Equal(IssueSeverity.Warning, deprecated.Severity);
        Assert.Contains("consecutive5xxErrors", deprecated.Message);
        var fault = Spec<VirtualServiceSpec>(result, "VirtualService", "hello-fault").Http![0].Fault!;
        Assert.Equal(25, fault.Delay!.Percentage!.Value);
        Assert.Equal(TimeSpan.FromSeconds(5), fault.Delay.FixedDelay!.Value.Value);
        Assert.Equal(TimeSpan.FromMinutes(1), Spec<DestinationRuleSpec>(result, "DestinationRule", "hello-circuit-breaker").TrafficPolicy!.OutlierDetection!.BaseEjectionTime!.Value.Value);
        Assert.Equal(["default"], Spec<AuthorizationPolicySpec>(result, "AuthorizationPolicy", "hello-viewer").Rules![0].From![0].Source!.Namespaces!);
    }

    [Fact]
    public void Read_CheatSheet_BindsGatewayServiceEntryAndTelemetry()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", "seed-002-cheat-sheet.yaml"), "seed-002");

        Assert.Equal(5, result.Issues.Count(i => i.Message.Contains("is not mesh configuration")));
        var gateway = Spec<GatewaySpec>(result, "Gateway", "my-gateway");
        Assert.Equal(ServerTlsMode.Simple, gateway.Servers![0].Tls!.Mode);
        Assert.Equal("app-tls", gateway.Servers[0].Tls!.CredentialName);
        var entry = Spec<ServiceEntrySpec>(result, "ServiceEntry", "svc-entry");
        Assert.Equal(ServiceLocation.MeshExternal, entry.Location);
        Assert.Equal(ServiceResolution.Dns, entry.Resolution);
        Assert.Equal(443, entry.Ports![0].Number);
        var telemetry = Spec<TelemetrySpec>(result, "Telemetry", "access-logs");
        Assert.Equal("envoy", telemetry.AccessLogging![0].Providers![0].Name);
        Assert.Equal([99, 1], Spec<VirtualServiceSpec>(result, "VirtualService", "payments").Http![0].Route!.Select(r => r.Weight!.Value));
    }

    [Fact]
    public void Read_Grundlagen_BindsEnumsHeadersAndFaults()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", "seed-003-grundlagen.yaml"), "seed-003");

        Assert.Equal(6, result.Resources.Count(r => r.Kind == "VirtualService"));
        var rule = Spec<DestinationRuleSpec>(result, "DestinationRule", "myapp");
        Assert.Equal(SimpleLoadBalancer.RoundRobin, rule.TrafficPolicy!.LoadBalancer!.Simple);
        Assert.Equal(H2UpgradePolicy.Upgrade, rule.TrafficPolicy.ConnectionPool!.Http!.H2UpgradePolicy);
        var specs = result.Resources.Where(r => r.Kind == "VirtualService").Select(r => (VirtualServiceSpec)MeshKinds.VirtualService.Bind(r.Spec).Value!).ToList();
        Assert.Equal("true", specs[2].Http![0].Match![0].Headers!["x-canary"].Exact);
        Assert.Equal(503, specs[4].Http![0].Fault!.Abort!.HttpStatus);
        Assert.Equal("connect-failure,refused-stream,unavailable,cancelled,retriable-4xx", specs[3].Http![0].Retries!.RetryOn);
        Assert.Equal(AuthorizationAction.Allow, Spec<AuthorizationPolicySpec>(result, "AuthorizationPolicy", "allow-frontend").Action);
        Assert.Equal(2, Spec<GatewaySpec>(result, "Gateway", "myapp-gateway").Servers!.Count);
    }

    [Fact]
    public void Read_TrafficSecurityTutorial_BindsHeaderMatchAndPolicies()
    {
        var result = ManifestReader.Read(FixtureFiles.Read("seeds", "seed-004-traffic-security.yaml"), "seed-004");

        Assert.Empty(result.Issues);
        Assert.Equal("jason", Spec<VirtualServiceSpec>(result, "VirtualService", "reviews").Http![0].Match![0].Headers!["end-user"].Exact);
        Assert.Equal(TimeSpan.FromSeconds(60), Spec<DestinationRuleSpec>(result, "DestinationRule", "reviews").TrafficPolicy!.OutlierDetection!.BaseEjectionTime!.Value.Value);
        Assert.Equal(MutualTlsMode.Strict, Spec<PeerAuthenticationSpec>(result, "PeerAuthentication", "default").Mtls!.Mode);
        Assert.Equal(["GET"], Spec<AuthorizationPolicySpec>(result, "AuthorizationPolicy", "reviews-policy").Rules![0].To![0].Operation!.Methods!);
    }

    private static T Spec<T>(ManifestReadResult result, string kind, string name)
    {
        var resource = result.Resources.First(r => r.Kind == kind && r.Metadata.Name == name);
        Assert.True(MeshKinds.TryGet(resource.ApiVersion, resource.Kind, out var meshKind));
        return Assert.IsType<T>(meshKind.Bind(resource.Spec).Value);
    }
}

using System.Text.Json;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Tests.Api;

public sealed class MessageMappingTests
{
    [Fact]
    public void StructConverter_SpecWithIntegersFloatsAndNesting_RoundTripsUnchanged()
    {
        using var document = JsonDocument.Parse("""{"a":80,"b":0.5,"c":[1,"x",true,null],"d":{"e":-3,"f":"10"},"g":9007199254740993.5}""");

        var back = StructConverter.ToJson(StructConverter.ToStruct(document.RootElement));

        Assert.Equal("""{"a":80,"b":0.5,"c":[1,"x",true,null],"d":{"e":-3,"f":"10"},"g":9007199254740994}""", back.GetRawText());
    }

    [Fact]
    public void StructConverter_NonObject_IsRejected()
    {
        using var document = JsonDocument.Parse("[1]");

        Assert.Throws<ArgumentException>(() => StructConverter.ToStruct(document.RootElement));
    }

    [Fact]
    public void DiscoveryMessages_Snapshot_RoundTripsThroughTheWireMessage()
    {
        var resource = ManifestReader.Read("apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r}\nspec: {host: reviews}\n", "t").Resources.Single();
        var snapshot = new ProxySnapshot
        {
            Version = "v7",
            Created = new DateTimeOffset(2026, 11, 21, 12, 0, 0, TimeSpan.Zero),
            ProxyId = "reviews-1",
            Revision = 42,
            Resources = [resource],
            Services =
            [
                new MeshService
                {
                    Name = "reviews",
                    Namespace = "default",
                    Host = "reviews.default.svc.cluster.local",
                    Ports = [9080],
                    Endpoints = [new MeshEndpoint { Address = "127.0.0.1", Port = 15006, Labels = new Dictionary<string, string> { ["version"] = "v2" }, Health = EndpointHealth.Draining, ProxyId = "p1", ServiceAccount = "reviews", Instance = "reviews-v2-1" }],
                },
            ],
        };

        var back = DiscoveryMessages.FromMessage(DiscoveryMessages.ToMessage(snapshot));

        Assert.Equal(snapshot.Version, back.Version);
        Assert.Equal(snapshot.Created, back.Created);
        Assert.Equal(42, back.Revision);
        Assert.True(JsonElement.DeepEquals(resource.Spec, back.Resources.Single().Spec));
        var endpoint = back.Services.Single().Endpoints.Single();
        Assert.Equal(EndpointHealth.Draining, endpoint.Health);
        Assert.Equal("v2", endpoint.Labels["version"]);
        Assert.Equal(["reviews", "reviews-v2-1", "127.0.0.1"], new[] { endpoint.ServiceAccount, endpoint.Instance, endpoint.Address });
        Assert.Equal([9080], back.Services.Single().Ports);
    }

    [Fact]
    public void DiscoveryMessages_OutlierStatusAndHealth_RoundTripThroughTheWireMessages()
    {
        var ejected = new EndpointOutlierStatus("reviews.default.svc.cluster.local", "10.0.1.1", 15006, true, 2, new DateTimeOffset(2026, 11, 21, 12, 0, 31, TimeSpan.Zero), "5 consecutive 5xx");
        var readmitted = new EndpointOutlierStatus("reviews.default.svc.cluster.local", "10.0.1.2", 15006, false, 1, null, null);
        var health = new MeshOutlierHealth(3, [new EndpointOutlierHealth(ejected.Host, ejected.Address, ejected.Port, 1, 2, "5 consecutive 5xx", [new ProxyOutlierStatus("productpage-1.default", ejected, new DateTimeOffset(2026, 11, 21, 12, 0, 1, TimeSpan.Zero))])]);

        var report = DiscoveryMessages.ToReport([ejected, readmitted]);
        var back = DiscoveryMessages.FromMessage(DiscoveryMessages.ToMessage(health));

        Assert.Equal([ejected, readmitted], report.Endpoints.Select(DiscoveryMessages.FromMessage));
        Assert.Null(report.Endpoints[1].EjectedUntil);
        Assert.Equal("", report.Endpoints[1].Reason);
        Assert.Equal(3, back.ReportingProxies);
        var endpoint = Assert.Single(back.Endpoints);
        Assert.Equal((1, 2, "5 consecutive 5xx"), (endpoint.EjectedBy, endpoint.MaxEjectionCount, endpoint.LastReason));
        Assert.Equal(health.Endpoints[0].Reports, endpoint.Reports);
        Assert.Equal(ejected, back.Find(ejected.Host, "10.0.1.1", 15006)?.ReportOf("productpage-1.default"));
    }
}

using Runtime.Sidecar.Routing;
using static Runtime.Sidecar.Tests.Routing.TestMesh;

namespace Runtime.Sidecar.Tests.Routing;

public class VirtualServiceSelectionTests
{
    private static readonly Abstractions.Discovery.MeshService[] Services = [Service("reviews"), Service("a"), Service("b")];

    private static string Target(RouteTable table, string url = "http://reviews/") => Forwarded(table.Route(Get(url))).Target.Cluster.Host;

    private static string To(string service) => $$$"""{"hosts":["reviews.default.svc.cluster.local"],"http":[{"route":[{"destination":{"host":"{{{service}}}.default.svc.cluster.local"}}]}]}""";

    [Fact]
    public void Build_TwoVirtualServicesForOneHost_OldestWinsAndTheOtherIsReported()
    {
        var build = Build(Services, [Vs("newer", To("b"), createdMinute: 5), Vs("older", To("a"), createdMinute: 1)]);

        Assert.False(build.IsFatal);
        Assert.Equal("a.default.svc.cluster.local", Target(build.Table));
        var warning = Assert.Single(Warnings(build));
        Assert.Equal("newer", warning.Name);
        Assert.Contains("already routed by VirtualService default/older", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameCreationTime_NameBreaksTheTie()
    {
        var table = TestMesh.Table(Services, Vs("zeta", To("b")), Vs("alpha", To("a")));

        Assert.Equal("a.default.svc.cluster.local", Target(table));
    }

    [Fact]
    public void Build_VirtualServicePrivateToSidecarNamespace_WinsOverOlderPublicOne()
    {
        var table = TestMesh.Table(
            Services,
            Vs("public", To("a"), ns: "other", createdMinute: 0),
            Vs("private", To("b")[..^1] + ""","exportTo":["."]}""", createdMinute: 9));

        Assert.Equal("b.default.svc.cluster.local", Target(table));
    }

    [Theory]
    [InlineData("""["."]""", "other", false)]
    [InlineData("""["."]""", "default", true)]
    [InlineData("""["*"]""", "other", true)]
    [InlineData("""["default"]""", "other", true)]
    [InlineData("""["prod"]""", "other", false)]
    [InlineData("""["~"]""", "default", false)]
    public void Build_ExportTo_DecidesVisibility(string exportTo, string vsNamespace, bool visible)
    {
        var vs = Vs("reviews", To("a")[..^1] + $$""","exportTo":{{exportTo}}}""", ns: vsNamespace);

        var target = Target(TestMesh.Table(Services, vs));

        Assert.Equal(visible ? "a.default.svc.cluster.local" : "reviews.default.svc.cluster.local", target);
    }

    [Theory]
    [InlineData("""["ingress"]""", false)]
    [InlineData("""["mesh"]""", true)]
    [InlineData("""["ingress","mesh"]""", true)]
    public void Build_Gateways_OnlyMeshBoundVirtualServicesApply(string gateways, bool applies)
    {
        var vs = Vs("reviews", To("a")[..^1] + $$""","gateways":{{gateways}}}""");

        Assert.Equal(applies ? "a.default.svc.cluster.local" : "reviews.default.svc.cluster.local", Target(TestMesh.Table(Services, vs)));
    }

    [Fact]
    public void Build_ServiceEntryNotExported_IsNotRoutable()
    {
        var table = TestMesh.Table([], Se("ext", """{"hosts":["api.example.com"],"exportTo":["."],"resolution":"DNS","ports":[{"number":443,"name":"https"}]}""", ns: "other"));

        Assert.IsType<NoRoute>(table.Route(Get("https://api.example.com/")));
    }

    [Fact]
    public void Build_SpecThatDoesNotBind_IsFatalAndNamesTheResource()
    {
        var build = Build(Services, [Vs("broken", """{"hosts":["reviews"],"http":[{"timeout":"soon","route":[{"destination":{"host":"a"}}]}]}""")]);

        Assert.True(build.IsFatal);
        Assert.Contains("VirtualService/default/broken", build.NackReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_DestinationHostUnknown_IsReportedAsWarning()
    {
        var build = Build(Services, [Vs("reviews", To("nowhere"))]);

        Assert.False(build.IsFatal);
        Assert.Contains(Warnings(build), w => w.Path == "spec.http[0].route[0].destination.host" && w.Message.Contains("nowhere.default.svc.cluster.local", StringComparison.Ordinal));
    }

    [Fact]
    public void Route_VersionIsTheSnapshotVersion()
    {
        Assert.Equal("v1", TestMesh.Table(Services).Version);
    }
}

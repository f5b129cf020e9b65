using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Resources;

namespace Runtime.Abstractions.Tests.Resources;

public class MeshKindsTests
{
    [Theory]
    [InlineData("VirtualService")]
    [InlineData("virtualservice")]
    [InlineData("virtualservices")]
    [InlineData("vs")]
    [InlineData("virtualservice.networking.istio.io")]
    [InlineData("virtualservices.networking.istio.io")]
    public void TryResolve_KubectlSpellings_FindVirtualService(string name)
    {
        Assert.True(MeshKinds.TryResolve(name, out var kind));
        Assert.Equal("VirtualService", kind.Kind);
        Assert.Equal(typeof(VirtualServiceSpec), kind.SpecType);
    }

    [Theory]
    [InlineData("dr", "DestinationRule")]
    [InlineData("gw", "Gateway")]
    [InlineData("se", "ServiceEntry")]
    [InlineData("pa", "PeerAuthentication")]
    [InlineData("ap", "AuthorizationPolicy")]
    [InlineData("ra", "RequestAuthentication")]
    [InlineData("telemetries", "Telemetry")]
    [InlineData("authorizationpolicies.security.istio.io", "AuthorizationPolicy")]
    public void TryResolve_ShortAndPluralNames_FindKind(string name, string expected)
    {
        Assert.True(MeshKinds.TryResolve(name, out var kind));
        Assert.Equal(expected, kind.Kind);
    }

    [Theory]
    [InlineData("virtualservice.security.istio.io")]
    [InlineData("deployment")]
    [InlineData("tel")]
    public void TryResolve_UnknownNames_ReturnsFalse(string name) => Assert.False(MeshKinds.TryResolve(name, out _));

    [Theory]
    [InlineData("networking.istio.io/v1alpha3", "Gateway", true)]
    [InlineData("networking.istio.io/v1beta1", "ServiceEntry", true)]
    [InlineData("security.istio.io/v1", "RequestAuthentication", true)]
    [InlineData("telemetry.istio.io/v1alpha1", "Telemetry", true)]
    [InlineData("security.istio.io/v1alpha1", "PeerAuthentication", false)]
    [InlineData("networking.istio.io/v1", "virtualservice", false)]
    [InlineData("gateway.networking.k8s.io/v1", "Gateway", false)]
    public void TryGet_ApiVersionAndKind_MatchesServedVersionsOnly(string apiVersion, string kind, bool expected) =>
        Assert.Equal(expected, MeshKinds.TryGet(apiVersion, kind, out _));

    [Fact]
    public void All_EveryKind_PrefersV1AndHasPlural()
    {
        Assert.Equal(9, MeshKinds.All.Count);
        // MeshConfig keeps its only version, the one of Istio's proto package (istio.mesh.v1alpha1).
        Assert.All(MeshKinds.All.Where(k => k != MeshKinds.MeshConfig), k => Assert.Equal("v1", k.PreferredVersion));
        Assert.Equal("mesh.istio.io/v1alpha1", MeshKinds.MeshConfig.PreferredApiVersion);
        Assert.Equal("telemetries", MeshKinds.Telemetry.Plural);
        Assert.Empty(MeshKinds.Telemetry.ShortNames);
    }
}

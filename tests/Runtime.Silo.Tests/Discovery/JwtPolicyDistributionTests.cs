using Runtime.Abstractions.Resources;
using Runtime.Silo.Discovery;
using static Runtime.Silo.Tests.Discovery.ProxyRegistryTests;
using static Runtime.Silo.Tests.Testing.Resources;

namespace Runtime.Silo.Tests.Discovery;

/// <summary>RequestAuthentication reaches the proxies of its own namespace, and every proxy from a root namespace.</summary>
public sealed class JwtPolicyDistributionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("bookinfo", true, false)]
    [InlineData("mesh-system", true, true)]
    [InlineData("istio-system", true, true)]
    [InlineData("shop", false, true)]
    public void Build_RequestAuthentication_OwnNamespaceOrEverywhereFromRoot(string policyNamespace, bool bookinfoSees, bool shopSees)
    {
        var policy = Make("jwt", """{"jwtRules":[{"issuer":"https://issuer.test","jwksUri":"https://issuer.test/jwks"}]}""", kind: "RequestAuthentication", ns: policyNamespace, resourceVersion: 1, apiVersion: "security.istio.io/v1");
        var inBookinfo = Proxy("productpage", "bookinfo", "10.0.0.1");
        var inShop = Proxy("cart", "shop", "10.0.0.2");
        var builder = new SnapshotBuilder(MeshConfigView.Empty.With(policy, 1), [inBookinfo, inShop]);

        Assert.Equal(bookinfoSees, builder.Build(inBookinfo, Now).Resources.Any(r => r.Kind == "RequestAuthentication"));
        Assert.Equal(shopSees, builder.Build(inShop, Now).Resources.Any(r => r.Kind == "RequestAuthentication"));
    }

    private static RegisteredProxy Proxy(string service, string ns, string address)
    {
        var identity = Identity(service, address, 15006, ns, "", null);
        return new RegisteredProxy(ProxyIdentityRules.ProxyId(identity), identity, "1.0", Now, Now, Connections: 0);
    }
}

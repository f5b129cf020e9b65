using System.Text.Json;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Security;

namespace Runtime.Abstractions.Tests.Security;

/// <summary>Which PeerAuthentication decides a workload's inbound mode, level by level, as in Istio.</summary>
public sealed class PeerAuthenticationPolicyTests
{
    private static readonly Dictionary<string, string> Reviews = new() { ["app"] = "reviews", ["version"] = "v1" };

    private static MeshResource Policy(string ns, string name, string spec, int ageMinutes = 0) => new()
    {
        ApiVersion = "security.istio.io/v1",
        Kind = "PeerAuthentication",
        Metadata = new ObjectMeta { Name = name, Namespace = ns, CreationTimestamp = DateTimeOffset.UnixEpoch.AddMinutes(-ageMinutes) },
        Spec = JsonDocument.Parse(spec).RootElement.Clone(),
    };

    [Fact]
    public void Resolve_NoPolicy_IsPermissive() =>
        Assert.Equal(MutualTlsMode.Permissive, PeerAuthenticationPolicy.Resolve([], "default", Reviews, 9080).Mode);

    [Theory]
    [InlineData("mesh-system")]
    [InlineData("istio-system")]
    public void Resolve_MeshLevel_AppliesFromEitherRootNamespace(string root) =>
        Assert.Equal(MutualTlsMode.Strict, PeerAuthenticationPolicy.Resolve([Policy(root, "default", """{"mtls":{"mode":"STRICT"}}""")], "default", Reviews, 9080).Mode);

    [Fact]
    public void Resolve_NamespaceOverridesMesh_AndOtherNamespacesAreIgnored()
    {
        MeshResource[] policies =
        [
            Policy("mesh-system", "default", """{"mtls":{"mode":"STRICT"}}"""),
            Policy("default", "ns", """{"mtls":{"mode":"DISABLE"}}"""),
            Policy("other", "ns", """{"mtls":{"mode":"PERMISSIVE"}}"""),
        ];
        var resolved = PeerAuthenticationPolicy.Resolve(policies, "default", Reviews, 9080);
        Assert.Equal(MutualTlsMode.Disable, resolved.Mode);
        Assert.Equal("default/ns", resolved.Source);
    }

    [Fact]
    public void Resolve_WorkloadSelectorAndPortLevel_WinAndUnsetInherits()
    {
        MeshResource[] policies =
        [
            Policy("default", "ns", """{"mtls":{"mode":"STRICT"}}"""),
            Policy("default", "reviews", """{"selector":{"matchLabels":{"app":"reviews"}},"mtls":{"mode":"UNSET"},"portLevelMtls":{"9080":{"mode":"DISABLE"}}}"""),
            Policy("default", "ratings", """{"selector":{"matchLabels":{"app":"ratings"}},"mtls":{"mode":"PERMISSIVE"}}"""),
        ];
        Assert.Equal(MutualTlsMode.Disable, PeerAuthenticationPolicy.Resolve(policies, "default", Reviews, 9080).Mode);
        // Another app port: the workload policy is UNSET, so the namespace's STRICT applies.
        Assert.Equal(MutualTlsMode.Strict, PeerAuthenticationPolicy.Resolve(policies, "default", Reviews, 8080).Mode);
    }

    [Fact]
    public void Resolve_TwoWorkloadPolicies_OldestWins()
    {
        MeshResource[] policies =
        [
            Policy("default", "newer", """{"selector":{"matchLabels":{"app":"reviews"}},"mtls":{"mode":"DISABLE"}}""", ageMinutes: 1),
            Policy("default", "older", """{"selector":{"matchLabels":{"version":"v1"}},"mtls":{"mode":"STRICT"}}""", ageMinutes: 10),
        ];
        Assert.Equal(MutualTlsMode.Strict, PeerAuthenticationPolicy.Resolve(policies, "default", Reviews, 9080).Mode);
    }
}

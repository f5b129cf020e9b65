using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Networking;
using Runtime.Abstractions.Security;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Validation;

namespace Runtime.Abstractions.Resources;

/// <summary>The registry of mesh configuration kinds (Istio's networking, security and telemetry APIs).</summary>
public static class MeshKinds
{
    private static readonly string[] NetworkingVersions = ["v1alpha3", "v1beta1", "v1"];
    private static readonly string[] SecurityVersions = ["v1beta1", "v1"];
    private static readonly string[] TelemetryVersions = ["v1alpha1", "v1"];

    /// <summary>networking.istio.io VirtualService.</summary>
    public static MeshKind VirtualService { get; } = Networking("VirtualService", "virtualservices", ["vs"], typeof(VirtualServiceSpec), new VirtualServiceValidator());

    /// <summary>networking.istio.io DestinationRule.</summary>
    public static MeshKind DestinationRule { get; } = Networking("DestinationRule", "destinationrules", ["dr"], typeof(DestinationRuleSpec), new DestinationRuleValidator());

    /// <summary>networking.istio.io Gateway.</summary>
    public static MeshKind Gateway { get; } = Networking("Gateway", "gateways", ["gw"], typeof(GatewaySpec), new GatewayValidator());

    /// <summary>networking.istio.io ServiceEntry.</summary>
    public static MeshKind ServiceEntry { get; } = Networking("ServiceEntry", "serviceentries", ["se"], typeof(ServiceEntrySpec), new ServiceEntryValidator());

    /// <summary>security.istio.io PeerAuthentication.</summary>
    public static MeshKind PeerAuthentication { get; } = Security("PeerAuthentication", "peerauthentications", ["pa"], typeof(PeerAuthenticationSpec), new PeerAuthenticationValidator());

    /// <summary>security.istio.io AuthorizationPolicy.</summary>
    public static MeshKind AuthorizationPolicy { get; } = Security("AuthorizationPolicy", "authorizationpolicies", ["ap"], typeof(AuthorizationPolicySpec), new AuthorizationPolicyValidator());

    /// <summary>security.istio.io RequestAuthentication.</summary>
    public static MeshKind RequestAuthentication { get; } = Security("RequestAuthentication", "requestauthentications", ["ra"], typeof(RequestAuthenticationSpec), new RequestAuthenticationValidator());

    /// <summary>telemetry.istio.io Telemetry.</summary>
    public static MeshKind Telemetry { get; } = new()
    {
        Group = "telemetry.istio.io", Kind = "Telemetry", Versions = TelemetryVersions, PreferredVersion = "v1",
        Plural = "telemetries", ShortNames = [], SpecType = typeof(TelemetrySpec), Validator = new TelemetryValidator(),
    };

    /// <summary>
    /// Istio's MeshConfig (issue 6), read from an IstioOperator's <c>meshConfig</c> or the <c>istio</c> ConfigMap;
    /// one per mesh, stored as <c>istio-system/istio</c>. Named after its proto package, <c>istio.mesh.v1alpha1</c>.
    /// </summary>
    public static MeshKind MeshConfig { get; } = new()
    {
        Group = "mesh.istio.io", Kind = "MeshConfig", Versions = ["v1alpha1"], PreferredVersion = "v1alpha1",
        Plural = "meshconfigs", ShortNames = [], SpecType = typeof(MeshConfigSpec), Validator = new MeshConfigValidator(),
    };

    /// <summary>Every kind, networking first.</summary>
    public static IReadOnlyList<MeshKind> All { get; } =
        [VirtualService, DestinationRule, Gateway, ServiceEntry, PeerAuthentication, AuthorizationPolicy, RequestAuthentication, Telemetry, MeshConfig];

    /// <summary>
    /// Resolves the names kubectl users type: <c>VirtualService</c>, <c>virtualservice</c>, <c>virtualservices</c>,
    /// <c>vs</c>, and the singular or plural qualified by group (<c>virtualservices.networking.istio.io</c>).
    /// </summary>
    /// <param name="name">The name to resolve; case-insensitive.</param>
    /// <param name="kind">The kind, when found.</param>
    public static bool TryResolve(string name, out MeshKind kind)
    {
        var lower = name.Trim().ToLowerInvariant();
        foreach (var candidate in All)
        {
            string[] names = [candidate.Singular, candidate.Plural, .. candidate.ShortNames];
            var qualified = names.Take(2).Select(n => $"{n}.{candidate.Group}");
            if (names.Contains(lower) || qualified.Contains(lower))
            {
                kind = candidate;
                return true;
            }
        }

        kind = null!;
        return false;
    }

    /// <summary>Finds the kind for an exact <c>apiVersion</c> and <c>kind</c> pair, as written in a manifest.</summary>
    /// <param name="apiVersion">For example <c>networking.istio.io/v1beta1</c>.</param>
    /// <param name="kind">For example <c>VirtualService</c>; case-sensitive like Kubernetes.</param>
    /// <param name="meshKind">The kind, when found.</param>
    public static bool TryGet(string apiVersion, string kind, out MeshKind meshKind)
    {
        meshKind = All.FirstOrDefault(k => k.Kind == kind && k.Serves(apiVersion))!;
        return meshKind is not null;
    }

    private static MeshKind Networking(string kind, string plural, string[] shortNames, Type spec, ISpecValidator validator) => new()
    {
        Group = "networking.istio.io", Kind = kind, Versions = NetworkingVersions, PreferredVersion = "v1",
        Plural = plural, ShortNames = shortNames, SpecType = spec, Validator = validator,
    };

    private static MeshKind Security(string kind, string plural, string[] shortNames, Type spec, ISpecValidator validator) => new()
    {
        Group = "security.istio.io", Kind = kind, Versions = SecurityVersions, PreferredVersion = "v1",
        Plural = plural, ShortNames = shortNames, SpecType = spec, Validator = validator,
    };
}

namespace Runtime.Sidecar.Security;

/// <summary>
/// The verified identity of the peer of an inbound mTLS connection, set as an <c>HttpContext</c> feature by the
/// TLS layer; absent for plaintext requests (which then have no principal and no namespace).
/// </summary>
/// <param name="SpiffeId">The peer's full SPIFFE id, e.g. <c>spiffe://cluster.local/ns/default/sa/productpage</c>.</param>
/// <param name="TrustDomain">The trust domain part, e.g. <c>cluster.local</c>.</param>
/// <param name="Namespace">The namespace part, e.g. <c>default</c>.</param>
/// <param name="ServiceAccount">The service-account part, e.g. <c>productpage</c>.</param>
internal sealed record PeerIdentity(string SpiffeId, string TrustDomain, string Namespace, string ServiceAccount)
{
    /// <summary>The principal as AuthorizationPolicy spells it: the SPIFFE id without <c>spiffe://</c>.</summary>
    public string Principal => SpiffeId.StartsWith("spiffe://", StringComparison.Ordinal) ? SpiffeId["spiffe://".Length..] : SpiffeId;
}

namespace Runtime.Sidecar.Proxying;

/// <summary>Headers one sidecar sets for its peer; the receiving sidecar removes them before the app sees the request.</summary>
internal static class MeshHeaders
{
    /// <summary>
    /// Set on a request that <c>h2UpgradePolicy: UPGRADE</c> sent upstream as HTTP/2 although the caller spoke
    /// HTTP/1.1, so the receiving sidecar hands it to its app as HTTP/1.1 (as Envoy's inbound side would).
    /// </summary>
    public const string UpgradedFromHttp1 = "x-mesh-upgraded-from-http1";
}

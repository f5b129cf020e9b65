namespace Runtime.Silo.Ca;

/// <summary>A connected proxy behind the CA's current generation or signing root.</summary>
/// <param name="ProxyId">The proxy id.</param>
/// <param name="SpiffeId">The identity in its leaf.</param>
/// <param name="RootSha256">The root its leaf chains to.</param>
/// <param name="TrustBundleGeneration">The generation of the bundle it verifies peers with.</param>
internal sealed record LaggingProxyReport(string ProxyId, string SpiffeId, string RootSha256, long TrustBundleGeneration)
{
    /// <inheritdoc />
    public override string ToString() => $"{ProxyId} (bundle generation {TrustBundleGeneration}, leaf root {(RootSha256.Length > 12 ? RootSha256[..12] : RootSha256)})";
}

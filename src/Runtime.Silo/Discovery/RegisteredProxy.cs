namespace Runtime.Silo.Discovery;

/// <summary>One registration as the registry holds it; replaced as a whole on every change.</summary>
/// <param name="Id">The proxy id (<c>instance.namespace</c>).</param>
/// <param name="Identity">The normalized identity.</param>
/// <param name="ProxyVersion">The sidecar's software version.</param>
/// <param name="RegisteredAt">When this registration started (kept across re-registrations).</param>
/// <param name="LastHeartbeat">The last heartbeat, registration, or end of a Subscribe stream.</param>
/// <param name="Connections">Open Subscribe streams; while any is open the proxy is alive without heartbeats.</param>
/// <param name="Outlier">
/// The proxy's latest outlier-detection report; null while it has sent none. Held with the registration so it
/// goes when the proxy deregisters or expires.
/// </param>
/// <param name="Certificate">The certificate the proxy reported in its last heartbeat; null when none (plaintext only, or no heartbeat yet).</param>
internal sealed record RegisteredProxy(
    string Id, ProxyIdentity Identity, string ProxyVersion, DateTimeOffset RegisteredAt, DateTimeOffset LastHeartbeat, int Connections,
    ReceivedOutlierReport? Outlier = null, ProxyCertificateReport? Certificate = null)
{
    public bool Connected => Connections > 0;
}

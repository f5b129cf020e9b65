namespace Runtime.Cli.Api;

/// <summary>How far the connected proxies reporting a certificate have followed the CA's current generation.</summary>
/// <param name="Proxies">Connected proxies reporting a certificate.</param>
/// <param name="TrustingCurrentBundle">Of those, how many trust the current bundle.</param>
/// <param name="SignedBySigningRoot">Of those, how many hold a leaf of the signing root.</param>
/// <param name="Lagging">Proxies behind on either count (at most 20), as "proxy-id (bundle generation N, leaf root abc...)".</param>
internal sealed record RotationProgressView(int Proxies, int TrustingCurrentBundle, int SignedBySigningRoot, IReadOnlyList<string> Lagging);

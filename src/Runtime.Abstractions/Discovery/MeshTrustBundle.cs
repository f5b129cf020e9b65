namespace Runtime.Abstractions.Discovery;

/// <summary>
/// The roots mesh peers must chain to, as the control plane's CA publishes them in every snapshot. A root
/// rotation first publishes a bundle with the old and the new root, then switches the signer, then drops the old
/// root; each change raises <see cref="Generation"/>.
/// </summary>
/// <param name="RootsPem">The trusted roots, PEM (two while a root rotation is in progress).</param>
/// <param name="TrustDomains">The mesh trust domain first, then its aliases.</param>
/// <param name="Generation">Increases with every change of the CA's roots or signer; a proxy never goes back to a lower one.</param>
/// <param name="SigningRootSha256">SHA-256 (DER, lowercase hex) of the root new leaves chain to.</param>
public sealed record MeshTrustBundle(string RootsPem, IReadOnlyList<string> TrustDomains, long Generation, string SigningRootSha256);

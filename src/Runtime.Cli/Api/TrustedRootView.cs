namespace Runtime.Cli.Api;

/// <summary>One root of the CA's trust bundle.</summary>
/// <param name="Subject">The root's subject.</param>
/// <param name="Sha256">SHA-256 fingerprint, lowercase hex.</param>
/// <param name="NotAfter">When it expires.</param>
/// <param name="Signing">Whether new leaves are signed under it.</param>
internal sealed record TrustedRootView(string Subject, string Sha256, DateTimeOffset NotAfter, bool Signing);

namespace Runtime.Silo.Ca;

/// <summary>A verified bootstrap token's claims.</summary>
/// <param name="Namespace">The namespace the token may obtain a certificate for.</param>
/// <param name="ServiceAccount">The service account the token may obtain a certificate for.</param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
internal sealed record BootstrapToken(string Namespace, string ServiceAccount, DateTimeOffset ExpiresAt);

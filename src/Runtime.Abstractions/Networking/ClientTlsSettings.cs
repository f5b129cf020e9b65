namespace Runtime.Abstractions.Networking;

/// <summary>TLS from the sidecar to the upstream.</summary>
public sealed record ClientTlsSettings
{
    /// <summary>Whether and how TLS is used.</summary>
    public ClientTlsMode? Mode { get; init; }

    /// <summary>Client certificate file for MUTUAL.</summary>
    public string? ClientCertificate { get; init; }

    /// <summary>Private key file for MUTUAL.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>CA bundle to verify the server.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Certificate revocation list.</summary>
    public string? CaCrl { get; init; }

    /// <summary>Secret holding the certificates (gateways only).</summary>
    public string? CredentialName { get; init; }

    /// <summary>Accepted server identities.</summary>
    public IReadOnlyList<string>? SubjectAltNames { get; init; }

    /// <summary>SNI sent to the upstream.</summary>
    public string? Sni { get; init; }

    /// <summary>Skips server certificate verification.</summary>
    public bool? InsecureSkipVerify { get; init; }
}

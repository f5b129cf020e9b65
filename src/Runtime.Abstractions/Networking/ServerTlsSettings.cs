namespace Runtime.Abstractions.Networking;

/// <summary>TLS settings of a gateway listener.</summary>
public sealed record ServerTlsSettings
{
    /// <summary>Sends 301 redirects from HTTP to HTTPS.</summary>
    public bool? HttpsRedirect { get; init; }

    /// <summary>How TLS is handled.</summary>
    public ServerTlsMode? Mode { get; init; }

    /// <summary>Server certificate file.</summary>
    public string? ServerCertificate { get; init; }

    /// <summary>Private key file.</summary>
    public string? PrivateKey { get; init; }

    /// <summary>CA bundle to verify clients.</summary>
    public string? CaCertificates { get; init; }

    /// <summary>Certificate revocation list.</summary>
    public string? CaCrl { get; init; }

    /// <summary>Secret holding the certificates.</summary>
    public string? CredentialName { get; init; }

    /// <summary>Several secrets (for example RSA and ECDSA).</summary>
    public IReadOnlyList<string>? CredentialNames { get; init; }

    /// <summary>Accepted client identities.</summary>
    public IReadOnlyList<string>? SubjectAltNames { get; init; }

    /// <summary>Accepted client key hashes.</summary>
    public IReadOnlyList<string>? VerifyCertificateSpki { get; init; }

    /// <summary>Accepted client certificate hashes.</summary>
    public IReadOnlyList<string>? VerifyCertificateHash { get; init; }

    /// <summary>Lowest TLS version.</summary>
    public TlsProtocolVersion? MinProtocolVersion { get; init; }

    /// <summary>Highest TLS version.</summary>
    public TlsProtocolVersion? MaxProtocolVersion { get; init; }

    /// <summary>Allowed cipher suites.</summary>
    public IReadOnlyList<string>? CipherSuites { get; init; }
}

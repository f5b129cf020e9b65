using Runtime.Silo.Hosting;

namespace Runtime.Silo.Ca;

/// <summary>The CA's settings, taken from <see cref="SiloOptions"/>.</summary>
/// <param name="TrustDomain">The mesh trust domain of issued SPIFFE ids.</param>
/// <param name="TrustDomainAliases">Trust domains also accepted as this mesh's (a renewing certificate may carry one).</param>
/// <param name="DefaultTtl">Lifetime of a leaf when the caller asks for none.</param>
/// <param name="MaxTtl">Longest lifetime issued.</param>
/// <param name="CaDir">Plugged-in CA directory, or null for the root kept in the store.</param>
internal sealed record CaSettings(string TrustDomain, IReadOnlyList<string> TrustDomainAliases, TimeSpan DefaultTtl, TimeSpan MaxTtl, string? CaDir)
{
    /// <summary>Default lifetime of a bootstrap token.</summary>
    public static readonly TimeSpan DefaultTokenTtl = TimeSpan.FromHours(24);

    /// <summary>Longest lifetime of a bootstrap token (a year).</summary>
    public static readonly TimeSpan MaxTokenTtl = TimeSpan.FromDays(365);

    /// <summary>The mesh trust domain followed by its aliases.</summary>
    public IReadOnlyList<string> TrustDomains => [TrustDomain, .. TrustDomainAliases];

    /// <summary>Reads the CA settings of validated silo options.</summary>
    public static CaSettings From(SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new CaSettings(options.TrustDomain, [.. options.TrustDomainAliases.Distinct(StringComparer.Ordinal)], options.CertTtl, options.MaxCertTtl, string.IsNullOrEmpty(options.CaDir) ? null : options.CaDir);
    }

    /// <summary>Adds every problem of the CA options to <paramref name="failures"/>, naming flag and variable.</summary>
    public static void Validate(SiloOptions options, List<string> failures)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(failures);
        if (SpiffeId.DescribeNameProblem(options.TrustDomain) is { } problem)
        {
            failures.Add($"--trust-domain (MESH_TRUST_DOMAIN): '{options.TrustDomain}' {problem}; for example cluster.local");
        }

        foreach (var alias in options.TrustDomainAliases)
        {
            if (SpiffeId.DescribeNameProblem(alias) is { } aliasProblem)
            {
                failures.Add($"--trust-domain-alias (MESH_TRUST_DOMAIN_ALIASES): '{alias}' {aliasProblem}");
            }
        }

        if (options.CertTtl <= TimeSpan.Zero)
        {
            failures.Add("--cert-ttl (MESH_CERT_TTL) must be positive, for example 24h");
        }

        if (options.MaxCertTtl < options.CertTtl)
        {
            failures.Add($"--cert-ttl (MESH_CERT_TTL) {options.CertTtl.TotalHours:0.###}h is longer than --max-cert-ttl (MESH_MAX_CERT_TTL) {options.MaxCertTtl.TotalHours:0.###}h; lower the first or raise the second");
        }

        if (!string.IsNullOrEmpty(options.CaDir) && !Directory.Exists(options.CaDir))
        {
            failures.Add($"--ca-dir (MESH_CA_DIR): '{options.CaDir}' is not a directory; give the directory holding ca-cert.pem, ca-key.pem, root-cert.pem and cert-chain.pem");
        }
    }
}

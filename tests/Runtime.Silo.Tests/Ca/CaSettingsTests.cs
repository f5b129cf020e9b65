using Runtime.Silo.Hosting;

namespace Runtime.Silo.Tests.Ca;

public sealed class CaSettingsTests
{
    [Fact]
    public void Parse_CaFlagsAndEnvironment_FlagsWinAndAliasesRepeat()
    {
        var environment = new Dictionary<string, string?> { ["MESH_TRUST_DOMAIN_ALIASES"] = "old.local,older.local", ["MESH_CERT_TTL"] = "12h" };

        var result = SiloCommandLine.Parse(["--trust-domain", "prod.example", "--trust-domain-alias", "legacy.example", "--trust-domain-alias=other.example", "--max-cert-ttl", "48h"], environment);

        Assert.Empty(result.Errors);
        Assert.Equal("prod.example", result.Options.TrustDomain);
        Assert.Equal(["legacy.example", "other.example"], result.Options.TrustDomainAliases);
        Assert.Equal(TimeSpan.FromHours(12), result.Options.CertTtl);
        Assert.Equal(TimeSpan.FromHours(48), result.Options.MaxCertTtl);
        Assert.Null(result.Options.CaDir);
    }

    [Fact]
    public void Validate_BadCaOptions_ReportsEveryProblem()
    {
        var options = new SiloOptions { TrustDomain = "Bad_Domain", CertTtl = TimeSpan.FromHours(100), MaxCertTtl = TimeSpan.FromHours(10), CaDir = "/nonexistent-ca-dir-for-tests" };
        options.TrustDomainAliases.Add("ok.example");
        options.TrustDomainAliases.Add("-bad");

        var result = new SiloOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        var failures = result.Failures!.ToList();
        Assert.Contains(failures, f => f.StartsWith("--trust-domain (MESH_TRUST_DOMAIN): 'Bad_Domain'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("--trust-domain-alias (MESH_TRUST_DOMAIN_ALIASES): '-bad'", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.Contains("--max-cert-ttl", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("--ca-dir (MESH_CA_DIR)", StringComparison.Ordinal));
        Assert.Equal(4, failures.Count);
    }
}

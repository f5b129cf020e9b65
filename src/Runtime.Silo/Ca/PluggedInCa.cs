using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Runtime.Silo.Ca;

/// <summary>
/// Loads a CA from a directory in Istio's <c>cacerts</c> layout: <c>ca-cert.pem</c> (the signing certificate),
/// <c>ca-key.pem</c> (its key, PKCS#8 or SEC1/PKCS#1), <c>root-cert.pem</c> (the root(s) to trust) and
/// <c>cert-chain.pem</c> (the signing certificate's chain up to the root). Every problem is reported at once.
/// </summary>
internal static class PluggedInCa
{
    /// <summary>Reads and checks the four files; throws <see cref="InvalidOperationException"/> listing every problem.</summary>
    public static CaSigner Load(string directory, DateTimeOffset now)
    {
        var problems = new List<string>();
        var caCert = ReadCertificates(directory, "ca-cert.pem", problems);
        var keyPem = ReadText(directory, "ca-key.pem", problems);
        var roots = ReadCertificates(directory, "root-cert.pem", problems);
        var chain = ReadCertificates(directory, "cert-chain.pem", problems);
        if (problems.Count > 0)
        {
            throw Fail(directory, problems);
        }

        X509Certificate2? signing = null;
        try
        {
            signing = AttachKey(caCert![0], keyPem!);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            problems.Add($"ca-key.pem: {ex.Message} (it must be the private key of ca-cert.pem, PEM-encoded)");
        }

        if (signing is not null)
        {
            if (signing.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
            {
                problems.Add("ca-cert.pem: the certificate is not a CA (basic constraints CA:TRUE is missing)");
            }

            if (signing.NotAfter.ToUniversalTime() <= now.UtcDateTime)
            {
                problems.Add($"ca-cert.pem: the certificate expired at {signing.NotAfter.ToUniversalTime():u}");
            }

            using var verify = new X509Chain();
            verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            verify.ChainPolicy.VerificationTime = now.UtcDateTime;
            verify.ChainPolicy.CustomTrustStore.AddRange(roots!);
            verify.ChainPolicy.ExtraStore.AddRange(chain!);
            if (!verify.Build(signing))
            {
                problems.Add("ca-cert.pem does not chain to root-cert.pem through cert-chain.pem: " + string.Join("; ", verify.ChainStatus.Select(s => s.StatusInformation.Trim())));
            }
        }

        if (problems.Count > 0)
        {
            signing?.Dispose();
            throw Fail(directory, problems);
        }

        // Istio's cert-chain.pem starts with ca-cert.pem and may end with the root: send only what is between.
        var intermediates = new X509Certificate2Collection();
        foreach (var certificate in chain!)
        {
            if (!roots!.Any(r => r.RawDataMemory.Span.SequenceEqual(certificate.RawDataMemory.Span)))
            {
                intermediates.Add(certificate);
            }
        }

        if (!intermediates.Any(c => c.RawDataMemory.Span.SequenceEqual(signing!.RawDataMemory.Span)))
        {
            intermediates.Insert(0, X509CertificateLoader.LoadCertificate(signing!.RawData));
        }

        return new CaSigner(signing!, intermediates, roots!, CaSigner.PluggedInMode);
    }

    private static X509Certificate2 AttachKey(X509Certificate2 certificate, string keyPem)
    {
        if (certificate.GetECDsaPublicKey() is { } ecPublic)
        {
            ecPublic.Dispose();
            using var ec = ECDsa.Create();
            ec.ImportFromPem(keyPem);
            return certificate.CopyWithPrivateKey(ec);
        }

        using var rsa = RSA.Create();
        rsa.ImportFromPem(keyPem);
        return certificate.CopyWithPrivateKey(rsa);
    }

    private static string? ReadText(string directory, string file, List<string> problems)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            problems.Add($"{file} is missing");
            return null;
        }

        return File.ReadAllText(path);
    }

    private static X509Certificate2Collection? ReadCertificates(string directory, string file, List<string> problems)
    {
        if (ReadText(directory, file, problems) is not { } pem)
        {
            return null;
        }

        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPem(pem);
        }
        catch (CryptographicException ex)
        {
            problems.Add($"{file}: not PEM certificates ({ex.Message})");
            return null;
        }

        if (certificates.Count == 0)
        {
            problems.Add($"{file} holds no PEM certificate");
            return null;
        }

        return certificates;
    }

    private static InvalidOperationException Fail(string directory, List<string> problems) =>
        new($"--ca-dir (MESH_CA_DIR) '{directory}': the plugged-in CA cannot be used:\n" + string.Join("\n", problems.Select(p => "  " + p)));
}

using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Security;

/// <summary>
/// DestinationRule <c>tls.mode: SIMPLE</c> and <c>MUTUAL</c>, for upstreams outside the mesh: the server is verified
/// against <c>caCertificates</c> (PEM file) or the system roots without it, its name against
/// <c>subjectAltNames</c> (DNS or URI) or else the SNI; MUTUAL presents <c>clientCertificate</c>/<c>privateKey</c>.
/// Files are read once per cluster (config push). A file that cannot be read fails every connection (never plaintext).
/// </summary>
internal static partial class TlsExternalOrigination
{
    /// <summary>
    /// The TLS for <paramref name="cluster"/> under <paramref name="settings"/>. Its partition holds the mode, SNI,
    /// names, the skip flag and the SHA-256 of every trusted root and of the client certificate, so a rule pointing at
    /// the same files with new contents also gets new connections.
    /// </summary>
    public static UpstreamTls Create(Cluster cluster, ClientTlsSettings settings, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(settings);
        var host = cluster.Key.Host;
        X509Certificate2Collection? roots = null;
        SslStreamCertificateContext? client = null;
        try
        {
            if (!string.IsNullOrEmpty(settings.CaCertificates))
            {
                roots = [];
                roots.ImportFromPemFile(settings.CaCertificates);
                if (roots.Count == 0)
                {
                    throw new InvalidDataException($"caCertificates '{settings.CaCertificates}' holds no certificate");
                }
            }

            if (settings.Mode == ClientTlsMode.Mutual)
            {
                if (string.IsNullOrEmpty(settings.ClientCertificate) || string.IsNullOrEmpty(settings.PrivateKey))
                {
                    throw new InvalidDataException("MUTUAL needs both clientCertificate and privateKey");
                }

                using var pem = X509Certificate2.CreateFromPemFile(settings.ClientCertificate, settings.PrivateKey);
                // A PKCS#12 round trip gives the TLS stack a persisted key on every platform.
                var leaf = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
                client = SslStreamCertificateContext.Create(leaf, [], offline: true);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or System.Security.Cryptography.CryptographicException)
        {
            var problem = $"DestinationRule tls ({settings.Mode.ToString()!.ToUpperInvariant()}) for {host}: {ex.Message}";
            LogUnusable(logger, host, problem);
            return TlsOrigination.Unusable(problem, ex);
        }

        var sni = string.IsNullOrEmpty(settings.Sni) ? host : settings.Sni;
        var names = settings.SubjectAltNames ?? [];
        var skip = settings.InsecureSkipVerify == true;
        RemoteCertificateValidationCallback validate = (_, presented, _, errors) =>
        {
            if (skip)
            {
                return true;
            }

            if (presented is null)
            {
                return Refuse(logger, host, "the server sent no certificate");
            }

            var leaf = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
            if (!Chains(leaf, roots, errors, out var problem))
            {
                return Refuse(logger, host, problem);
            }

            if (names.Count > 0)
            {
                var presentedNames = TlsSpiffeId.UriNames(leaf).Concat(DnsNames(leaf)).ToList();
                return names.Any(n => presentedNames.Contains(n, StringComparer.OrdinalIgnoreCase))
                    || Refuse(logger, host, $"server names [{string.Join(", ", presentedNames)}] match none of subjectAltNames [{string.Join(", ", names)}]");
            }

            return !errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || Refuse(logger, host, $"the server certificate is not valid for '{sni}'");
        };

        var partition = string.Join('\n',
            settings.Mode.ToString(),
            sni,
            skip ? "insecureSkipVerify" : "verify",
            roots is null ? "system roots" : string.Join(",", roots.Select(r => r.GetCertHashString(HashAlgorithmName.SHA256))),
            client is null ? "no client certificate" : client.TargetCertificate.GetCertHashString(HashAlgorithmName.SHA256),
            string.Join(",", names));
        return new UpstreamTls(partition, version => new SslClientAuthenticationOptions
        {
            TargetHost = sni,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            ClientCertificateContext = client,
            ApplicationProtocols = version.Major >= 2 ? TlsOrigination.Http2 : TlsOrigination.Http11,
            RemoteCertificateValidationCallback = validate,
        });
    }

    private static bool Chains(X509Certificate2 leaf, X509Certificate2Collection? roots, SslPolicyErrors errors, out string problem)
    {
        problem = "";
        if (roots is null)
        {
            // System trust: the platform already built the chain.
            if (errors.HasFlag(SslPolicyErrors.RemoteCertificateChainErrors))
            {
                problem = "the server certificate does not chain to a system root";
                return false;
            }

            return true;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        if (!chain.Build(leaf))
        {
            problem = $"the server certificate does not chain to caCertificates ({string.Join(", ", chain.ChainStatus.Select(s => s.Status))})";
            return false;
        }

        return true;
    }

    private static IEnumerable<string> DnsNames(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateDnsNames());

    private static bool Refuse(ILogger logger, string host, string reason)
    {
        LogRefused(logger, host, reason);
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS to {Host} refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string host, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "TLS to {Host} cannot be set up; requests to it fail: {Problem}")]
    private static partial void LogUnusable(ILogger logger, string host, string problem);
}

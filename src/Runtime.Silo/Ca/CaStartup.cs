using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Silo.Hosting;
using Runtime.Silo.Store;

namespace Runtime.Silo.Ca;

/// <summary>
/// The CA start-up stage (after the store, before the API): loads the plugged-in CA or the root kept in the
/// store (creating it on first start), and the bootstrap-token key (always kept in the store).
/// </summary>
internal sealed partial class CaStartup(SiloOptions options, IOptions<ConfigStoreOptions> store, TimeProvider time, ILoggerFactory loggers) : IDisposable
{
    private const string RootCertificateName = "root-cert.der";
    private const string RootKeyName = "root-key.pkcs8";
    private const string TokenKeyName = "token-key";

    private readonly ILogger _logger = loggers.CreateLogger<CaStartup>();
    private CertificateAuthority? _authority;

    /// <summary>The loaded CA; throws until <see cref="Load"/> ran.</summary>
    public CertificateAuthority Authority => _authority ?? throw new InvalidOperationException("the CA has not been loaded yet");

    /// <summary>Loads (or on first start creates) the CA's material.</summary>
    public void Load()
    {
        var settings = CaSettings.From(options);
        var now = time.GetUtcNow();
        var material = new CaMaterialStore(store.Value.DatabasePath);
        var tokenKey = material.GetOrCreate([TokenKeyName], () => new Dictionary<string, byte[]> { [TokenKeyName] = RandomNumberGenerator.GetBytes(32) }, now.ToUnixTimeMilliseconds())[TokenKeyName];
        CaSigner signer;
        if (settings.CaDir is { } directory)
        {
            signer = PluggedInCa.Load(directory, now);
        }
        else
        {
            var root = material.GetOrCreate([RootCertificateName, RootKeyName], () => CreateRoot(settings.TrustDomain, now), now.ToUnixTimeMilliseconds());
            using var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(root[RootKeyName], out _);
            using var publicOnly = X509CertificateLoader.LoadCertificate(root[RootCertificateName]);
            var signing = publicOnly.CopyWithPrivateKey(key);
            signer = new CaSigner(signing, [], [X509CertificateLoader.LoadCertificate(root[RootCertificateName])], CaSigner.SelfSignedMode);
        }

        _authority = new CertificateAuthority(signer, new BootstrapTokenIssuer(tokenKey, settings.TrustDomain), settings, time, loggers.CreateLogger<CertificateAuthority>());
        var status = _authority.GetStatus();
        LogLoaded(status.Mode, status.RootSubject, status.RootSha256, status.RootNotAfter, settings.TrustDomain);
    }

    /// <inheritdoc />
    public void Dispose() => _authority?.Dispose();

    private Dictionary<string, byte[]> CreateRoot(string trustDomain, DateTimeOffset now)
    {
        using var root = CaSigner.CreateRoot(trustDomain, now);
        using var key = root.GetECDsaPrivateKey()!;
        LogRootCreated(trustDomain);
        return new Dictionary<string, byte[]> { [RootCertificateName] = root.RawData, [RootKeyName] = key.ExportPkcs8PrivateKey() };
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Created a self-signed root CA for trust domain {TrustDomain} and stored it (key unencrypted) in the store")]
    private partial void LogRootCreated(string trustDomain);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "CA ready ({Mode}): root {Subject} sha256 {Sha256} expires {NotAfter:u}; trust domain {TrustDomain}")]
    private partial void LogLoaded(string mode, string subject, string sha256, DateTimeOffset notAfter, string trustDomain);
}

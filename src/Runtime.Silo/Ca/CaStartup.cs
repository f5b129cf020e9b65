using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Runtime.Abstractions.Discovery;
using Runtime.Silo.Discovery;
using Runtime.Silo.Hosting;
using Runtime.Silo.Store;

namespace Runtime.Silo.Ca;

/// <summary>
/// The CA start-up stage (after the store, before the API): loads the plugged-in CA or the roots kept in the
/// store (creating the first on first start), and the bootstrap-token key (always kept in the store). It also
/// runs the steps of a root rotation (persisted all-or-nothing) and follows steps other replicas sharing the
/// database ran (<see cref="Refresh"/>), publishing every change as the trust bundle of the snapshots.
/// </summary>
internal sealed partial class CaStartup(SiloOptions options, IOptions<ConfigStoreOptions> store, TimeProvider time, ILoggerFactory loggers) : ITrustBundleSource, IDisposable
{
    /// <summary>The <c>ca_material</c> row holding the roots, signer, phase and generation once a rotation ran.</summary>
    public const string RotationName = "ca-rotation";

    private const string RootCertificateName = "root-cert.der";
    private const string RootKeyName = "root-key.pkcs8";
    private const string TokenKeyName = "token-key";

    private static readonly string[] PluggedInFiles = ["ca-cert.pem", "ca-key.pem", "root-cert.pem", "cert-chain.pem"];

    private readonly ILogger _logger = loggers.CreateLogger<CaStartup>();
    private readonly Lock _rotating = new();
    private CaMaterialStore? _material;
    private CertificateAuthority? _authority;

    /// <inheritdoc />
    public event Action? Changed;

    /// <summary>The loaded CA; throws until <see cref="Load"/> ran.</summary>
    public CertificateAuthority Authority => _authority ?? throw new InvalidOperationException("the CA has not been loaded yet");

    /// <inheritdoc />
    public MeshTrustBundle? Current => _authority is { } authority ? authority.State.ToTrustBundle(authority.Settings.TrustDomains) : null;

    /// <summary>Loads (or on first start creates) the CA's material.</summary>
    public void Load()
    {
        var settings = CaSettings.From(options);
        var now = time.GetUtcNow();
        var material = new CaMaterialStore(store.Value.DatabasePath);
        var tokenKey = material.GetOrCreate([TokenKeyName], () => new Dictionary<string, byte[]> { [TokenKeyName] = RandomNumberGenerator.GetBytes(32) }, now.ToUnixTimeMilliseconds())[TokenKeyName];
        CaState state;
        if (settings.CaDir is { } directory)
        {
            state = new CaState(PluggedInCa.Load(directory, now), PluggedInGeneration(directory), RotationPhase.Stable);
        }
        else
        {
            var root = material.GetOrCreate([RootCertificateName, RootKeyName], () => CreateRoot(settings.TrustDomain), now.ToUnixTimeMilliseconds());
            var stored = material.Read(RotationName);
            var record = stored is null ? RootRotationRecord.Initial(new StoredRoot(root[RootCertificateName], root[RootKeyName])) : RootRotationRecord.Parse(stored);
            state = record.ToState();
            _material = material;
        }

        _authority = new CertificateAuthority(state, new BootstrapTokenIssuer(tokenKey, settings.TrustDomain), settings, time, loggers.CreateLogger<CertificateAuthority>());
        _authority.StateChanged += () => Changed?.Invoke();
        var status = _authority.GetStatus();
        LogLoaded(status.Mode, status.RootSubject, status.RootSha256, status.RootNotAfter, settings.TrustDomain, state.Generation, state.Phase);
    }

    /// <summary>
    /// Follows a rotation step another replica sharing the database ran: reloads when the stored generation is
    /// newer than the one in use. Cheap (one small row); a no-op for a plugged-in CA.
    /// </summary>
    public void Refresh()
    {
        if (_material is not { } material || _authority is not { } authority || material.Read(RotationName) is not { } stored)
        {
            return;
        }

        var record = RootRotationRecord.Parse(stored);
        if (record.Generation > authority.State.Generation)
        {
            var next = record.ToState();
            if (!authority.Swap(next))
            {
                next.Dispose();
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="step"/> of a root rotation, persisted in one immediate transaction, provided the stored
    /// state is still at <paramref name="expectedGeneration"/> (the one the caller checked the proxies against).
    /// </summary>
    /// <exception cref="CaRequestRefusedException">Plugged-in CA, out-of-order step, or a concurrent change (FailedPrecondition).</exception>
    public CaState Rotate(RotationStep step, long expectedGeneration)
    {
        if (_material is not { } material)
        {
            throw new CaRequestRefusedException(
                CaRefusal.FailedPrecondition,
                "this control plane uses a plugged-in CA (--ca-dir), whose keys it does not own: rotate its root outside the mesh by replacing the cacerts files " +
                "(first root-cert.pem holding the old and the new root, then the new ca-cert.pem/ca-key.pem/cert-chain.pem, then root-cert.pem with the new root only), " +
                "restarting the control plane after each change (see docs/security-ca.md)");
        }

        lock (_rotating)
        {
            var settings = Authority.Settings;
            RootRotationRecord? next = null;
            material.Update(
                read =>
                {
                    var current = read(RotationName) is { } stored
                        ? RootRotationRecord.Parse(stored)
                        : RootRotationRecord.Initial(new StoredRoot(
                            read(RootCertificateName) ?? throw new InvalidOperationException($"ca_material row '{RootCertificateName}' is missing"),
                            read(RootKeyName) ?? throw new InvalidOperationException($"ca_material row '{RootKeyName}' is missing")));
                    if (current.Generation != expectedGeneration)
                    {
                        throw new CaRequestRefusedException(
                            CaRefusal.FailedPrecondition,
                            $"the CA changed while this step was checked (generation {expectedGeneration} became {current.Generation}, {RootRotationRecord.Describe(current.Phase)}); check meshctl ca status and run the step again");
                    }

                    next = current.Next(step, generation => NewRoot(settings.TrustDomain, $"rotation generation {generation}"));
                    return new Dictionary<string, byte[]> { [RotationName] = next.Serialize() };
                },
                time.GetUtcNow().ToUnixTimeMilliseconds());
            var state = next!.ToState();
            if (!Authority.Swap(state))
            {
                state.Dispose();
            }

            LogRotated(step, next.Generation, next.Phase);
            return Authority.State;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _authority?.Dispose();

    /// <summary>
    /// A plugged-in CA's generation: the newest modification time of its files (Unix seconds), so each replacement
    /// of the cacerts files during an outside rotation raises it and sidecars take the new bundle from snapshots.
    /// </summary>
    private static long PluggedInGeneration(string directory)
    {
        var newest = PluggedInFiles
            .Select(file => new DateTimeOffset(File.GetLastWriteTimeUtc(Path.Combine(directory, file))).ToUnixTimeSeconds())
            .Max();
        return Math.Max(1, newest);
    }

    private StoredRoot NewRoot(string trustDomain, string? unit = null)
    {
        using var root = CaSigner.CreateRoot(trustDomain, time.GetUtcNow(), unit);
        using var key = root.GetECDsaPrivateKey()!;
        return new StoredRoot(root.RawData, key.ExportPkcs8PrivateKey());
    }

    private Dictionary<string, byte[]> CreateRoot(string trustDomain)
    {
        var root = NewRoot(trustDomain);
        LogRootCreated(trustDomain);
        return new Dictionary<string, byte[]> { [RootCertificateName] = root.CertificateDer, [RootKeyName] = root.KeyPkcs8 };
    }

    [LoggerMessage(EventId = 610, Level = LogLevel.Information, Message = "Created a self-signed root CA for trust domain {TrustDomain} and stored it (key unencrypted) in the store")]
    private partial void LogRootCreated(string trustDomain);

    [LoggerMessage(EventId = 611, Level = LogLevel.Information, Message = "CA ready ({Mode}): signing root {Subject} sha256 {Sha256} expires {NotAfter:u}; trust domain {TrustDomain}; generation {Generation}, {Phase}")]
    private partial void LogLoaded(string mode, string subject, string sha256, DateTimeOffset notAfter, string trustDomain, long generation, RotationPhase phase);

    [LoggerMessage(EventId = 612, Level = LogLevel.Warning, Message = "Root rotation step {Step} done: generation {Generation}, {Phase}")]
    private partial void LogRotated(RotationStep step, long generation, RotationPhase phase);
}

using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Ca;

/// <summary>
/// Signs workload CSRs for the identity the caller proved (bootstrap token or current certificate) and nothing
/// else: names the CSR asks for are never copied; a CSR naming another SPIFFE id is refused and logged.
/// Thread-safe; signing takes no lock: it reads one immutable <see cref="CaState"/>, which a root rotation
/// replaces whole (<see cref="Swap"/>).
/// </summary>
internal sealed partial class CertificateAuthority : IDisposable
{
    private static readonly TimeSpan Backdate = TimeSpan.FromMinutes(5);
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly BootstrapTokenIssuer _tokens;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Lock _swapLock = new();
    // Replaced states are disposed with the CA, not at the swap: a signature in flight may still read one.
    private readonly List<CaState> _retired = [];
    private CaState _state;
    private long _issued;
    private long _rejected;

    /// <summary>Creates a CA signing with <paramref name="signer"/> and verifying tokens with <paramref name="tokens"/>.</summary>
    public CertificateAuthority(CaSigner signer, BootstrapTokenIssuer tokens, CaSettings settings, TimeProvider time, ILogger logger)
        : this(new CaState(signer, 1, RotationPhase.Stable), tokens, settings, time, logger)
    {
    }

    /// <summary>Creates a CA starting at <paramref name="state"/> (a stored rotation state).</summary>
    public CertificateAuthority(CaState state, BootstrapTokenIssuer tokens, CaSettings settings, TimeProvider time, ILogger logger)
    {
        _state = state;
        _tokens = tokens;
        Settings = settings;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised after <see cref="Swap"/> replaced the state (roots, signer or generation changed).</summary>
    public event Action? StateChanged;

    /// <summary>Trust domain, aliases and lifetimes.</summary>
    public CaSettings Settings { get; }

    /// <summary>The roots peers must chain to.</summary>
    public X509Certificate2Collection Roots => State.Signer.Roots;

    /// <summary>The current roots, signer, phase and generation.</summary>
    public CaState State => Volatile.Read(ref _state);

    /// <summary>
    /// Replaces the state with <paramref name="next"/> unless the current one is of the same or a higher
    /// generation (a late reload never rolls a rotation back); true when it did.
    /// </summary>
    public bool Swap(CaState next)
    {
        ArgumentNullException.ThrowIfNull(next);
        CaState previous;
        lock (_swapLock)
        {
            previous = _state;
            if (next.Generation <= previous.Generation)
            {
                return false;
            }

            _retired.Add(previous);
            Volatile.Write(ref _state, next);
        }

        LogStateChanged(previous.Generation, next.Generation, next.Phase, next.SigningRootSha256);
        StateChanged?.Invoke();
        return true;
    }

    /// <summary>Creates a bootstrap token for one namespace/service account.</summary>
    public (string Token, DateTimeOffset ExpiresAt) CreateToken(string @namespace, string serviceAccount, TimeSpan? ttl)
    {
        var problems = new List<string>();
        if (SpiffeId.DescribeNameProblem(@namespace) is { } nsProblem)
        {
            problems.Add($"namespace '{@namespace}' {nsProblem}");
        }

        if (SpiffeId.DescribeNameProblem(serviceAccount) is { } saProblem)
        {
            problems.Add($"service account '{serviceAccount}' {saProblem}");
        }

        var lifetime = ttl ?? CaSettings.DefaultTokenTtl;
        if (lifetime <= TimeSpan.Zero || lifetime > CaSettings.MaxTokenTtl)
        {
            problems.Add($"ttl {lifetime.TotalHours:0.###}h is out of range; use more than 0 and at most {CaSettings.MaxTokenTtl.TotalHours:0}h");
        }

        if (problems.Count > 0)
        {
            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, string.Join("; ", problems));
        }

        var expiresAt = _time.GetUtcNow() + lifetime;
        LogTokenCreated(@namespace, serviceAccount, expiresAt);
        return (_tokens.Create(@namespace, serviceAccount, expiresAt), expiresAt);
    }

    /// <summary>
    /// Signs <paramref name="csrDer"/> for the identity <paramref name="proof"/> establishes, valid for
    /// <paramref name="ttl"/> (null: the default) capped by the maximum and by the signing certificate's expiry.
    /// </summary>
    /// <exception cref="CaRequestRefusedException">The request is malformed, unproven or for another identity.</exception>
    public IssuedCertificate Sign(byte[] csrDer, IdentityProof proof, TimeSpan? ttl)
    {
        ArgumentNullException.ThrowIfNull(csrDer);
        ArgumentNullException.ThrowIfNull(proof);
        try
        {
            var issued = SignCore(csrDer, proof, ttl);
            Interlocked.Increment(ref _issued);
            return issued;
        }
        catch (CaRequestRefusedException ex)
        {
            Interlocked.Increment(ref _rejected);
            LogRefused(ex.Reason, ex.Message);
            throw;
        }
    }

    /// <summary>Root, trust domains and counters.</summary>
    public CaStatusReport GetStatus()
    {
        var state = State;
        var root = state.SigningRoot;
        return new CaStatusReport(root.Subject, state.SigningRootSha256, root.NotAfter.ToUniversalTime(), Settings, state.Signer.Mode, Interlocked.Read(ref _issued), Interlocked.Read(ref _rejected), state);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_swapLock)
        {
            _state.Dispose();
            _retired.ForEach(s => s.Dispose());
        }
    }

    private IssuedCertificate SignCore(byte[] csrDer, IdentityProof proof, TimeSpan? ttl)
    {
        var now = _time.GetUtcNow();
        // One state for the whole signature: signer, chain and bundle of one generation.
        var state = State;
        var signer = state.Signer;
        CertificateRequest csr;
        try
        {
            // Verifies the CSR's self-signature (proof of possession of its key). Extensions are not loaded: the
            // leaf gets only what the CA decides.
            csr = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.Default, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException ex)
        {
            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CSR is not a valid PKCS#10 request or its signature does not verify: {ex.Message}");
        }

        CheckKey(csr.PublicKey);
        var identity = Prove(csrDer, proof, now, signer);
        var requested = RequestedUris(csrDer);
        if (requested.Any(uri => !string.Equals(uri, identity.Uri, StringComparison.Ordinal)))
        {
            LogOtherIdentityRequested(identity.Uri, string.Join(", ", requested));
            throw new CaRequestRefusedException(CaRefusal.PermissionDenied, $"the CSR asks for {string.Join(", ", requested)} but the caller proved {identity.Uri}; a certificate is only issued for the proven identity");
        }

        var lifetime = ttl is { } asked && asked > TimeSpan.Zero ? asked : Settings.DefaultTtl;
        if (lifetime > Settings.MaxTtl)
        {
            lifetime = Settings.MaxTtl;
        }

        var notBefore = now - Backdate;
        var signerNotBefore = new DateTimeOffset(signer.SigningCertificate.NotBefore.ToUniversalTime());
        var signerNotAfter = new DateTimeOffset(signer.SigningCertificate.NotAfter.ToUniversalTime());
        if (notBefore < signerNotBefore)
        {
            notBefore = signerNotBefore;
        }

        var notAfter = now + lifetime;
        if (notAfter > signerNotAfter)
        {
            notAfter = signerNotAfter;
        }

        if (notAfter <= now)
        {
            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CA's signing certificate expired at {signerNotAfter:u}; rotate the CA");
        }

        var leaf = new CertificateRequest(new X500DistinguishedName(""), csr.PublicKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri(identity.Uri));
        // An empty subject makes the SAN critical (RFC 5280 4.2.1.6).
        leaf.CertificateExtensions.Add(san.Build(critical: true));
        leaf.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        leaf.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        leaf.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuth, ClientAuth], false));
        leaf.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(csr.PublicKey, false));
        leaf.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(signer.SigningCertificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));

        using var certificate = leaf.Create(signer.SigningCertificate.SubjectName, signer.Generator, notBefore, notAfter, NewSerial());
        LogIssued(identity.Uri, notAfter, proof is RenewalProof ? "certificate" : "token");
        return new IssuedCertificate(certificate.ExportCertificatePem() + "\n", state.ChainPem, state.TrustBundlePem, identity, Settings.TrustDomains, state.Generation);
    }

    private SpiffeId Prove(byte[] csrDer, IdentityProof proof, DateTimeOffset now, CaSigner signer)
    {
        switch (proof)
        {
            case TokenProof token:
                if (_tokens.Verify(token.Token, now, out var problem) is not { } verified)
                {
                    throw new CaRequestRefusedException(CaRefusal.Unauthenticated, $"bootstrap token refused: {problem}");
                }

                return new SpiffeId(Settings.TrustDomain, verified.Namespace, verified.ServiceAccount);
            case RenewalProof renewal:
                return ProveByCertificate(csrDer, renewal, now, signer);
            default:
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "no proof of identity: send a bootstrap token or the current certificate");
        }
    }

    private SpiffeId ProveByCertificate(byte[] csrDer, RenewalProof renewal, DateTimeOffset now, CaSigner signer)
    {
        if (renewal.ChainDer.Count == 0 || renewal.ChainDer.Count > 8)
        {
            throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "renewal proof: send the current leaf first, then at most 7 intermediates");
        }

        var presented = new List<X509Certificate2>();
        try
        {
            foreach (var der in renewal.ChainDer)
            {
                presented.Add(X509CertificateLoader.LoadCertificate(der));
            }
        }
        catch (CryptographicException ex)
        {
            presented.ForEach(c => c.Dispose());
            throw new CaRequestRefusedException(CaRefusal.Unauthenticated, $"renewal proof: a certificate is not DER: {ex.Message}");
        }

        try
        {
            var current = presented[0];
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.DisableCertificateDownloads = true;
            chain.ChainPolicy.VerificationTime = now.UtcDateTime;
            chain.ChainPolicy.VerificationTimeIgnored = false;
            // Every root of the bundle: during a rotation a leaf of the old or the new root proves its identity.
            chain.ChainPolicy.CustomTrustStore.AddRange(signer.Roots);
            chain.ChainPolicy.ExtraStore.AddRange(signer.Intermediates);
            foreach (var intermediate in presented.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(intermediate);
            }

            chain.ChainPolicy.ApplicationPolicy.Add(ClientAuth);
            if (!chain.Build(current))
            {
                var why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0));
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, $"renewal proof: the current certificate does not chain to this CA's root or is not valid now ({why})");
            }

            if (current.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is { CertificateAuthority: true })
            {
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "renewal proof: the presented certificate is a CA, not a workload leaf");
            }

            IReadOnlyList<string> uris;
            try
            {
                uris = SubjectAlternativeNames.ReadUris(current);
            }
            catch (AsnContentException)
            {
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "renewal proof: the current certificate's SAN is malformed");
            }

            if (uris.Count != 1 || SpiffeId.TryParse(uris[0]) is not { } id || !Settings.TrustDomains.Contains(id.TrustDomain, StringComparer.Ordinal))
            {
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, $"renewal proof: the current certificate must carry exactly one SPIFFE id in trust domain {string.Join(" or ", Settings.TrustDomains)} (it has {string.Join(", ", uris)})");
            }

            if (!VerifyProofSignature(current, csrDer, renewal.Signature))
            {
                throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "renewal proof: the signature over the CSR does not verify with the current certificate's key");
            }

            // Renewal moves an alias identity to the mesh trust domain.
            return id with { TrustDomain = Settings.TrustDomain };
        }
        finally
        {
            presented.ForEach(c => c.Dispose());
        }
    }

    private static bool VerifyProofSignature(X509Certificate2 current, byte[] data, byte[] signature)
    {
        using var ecdsa = current.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }

        using var rsa = current.GetRSAPublicKey();
        return rsa is not null && rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }

    private static void CheckKey(PublicKey key)
    {
        using var ecdsa = key.GetECDsaPublicKey();
        if (ecdsa is not null)
        {
            var curve = ecdsa.ExportParameters(false).Curve;
            if (curve.Oid?.Value is "1.2.840.10045.3.1.7" or "1.3.132.0.34")
            {
                return;
            }

            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CSR's ECDSA key is on curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "?"}; use P-256 or P-384");
        }

        using var rsa = key.GetRSAPublicKey();
        if (rsa is not null)
        {
            if (rsa.KeySize >= 2048)
            {
                return;
            }

            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CSR's RSA key has {rsa.KeySize} bits; use at least 2048");
        }

        throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CSR's key algorithm {key.Oid.Value} is not supported; use ECDSA P-256/P-384 or RSA of at least 2048 bits");
    }

    /// <summary>The URI SANs the CSR asks for (its extensionRequest attribute), read only to compare with the proven identity.</summary>
    private static List<string> RequestedUris(byte[] csrDer)
    {
        CertificateRequest withExtensions;
        try
        {
            withExtensions = CertificateRequest.LoadSigningRequest(csrDer, HashAlgorithmName.SHA256, CertificateRequestLoadOptions.SkipSignatureValidation | CertificateRequestLoadOptions.UnsafeLoadCertificateExtensions);
        }
        catch (CryptographicException ex)
        {
            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"the CSR's extensions are unreadable: {ex.Message}");
        }

        var uris = new List<string>();
        foreach (var extension in withExtensions.CertificateExtensions)
        {
            if (extension.Oid?.Value == SubjectAlternativeNames.Oid)
            {
                try
                {
                    uris.AddRange(SubjectAlternativeNames.ReadUris(extension.RawData));
                }
                catch (AsnContentException)
                {
                    throw new CaRequestRefusedException(CaRefusal.InvalidRequest, "the CSR's subjectAltName extension is malformed");
                }
            }
        }

        return uris;
    }

    private static byte[] NewSerial()
    {
        // 16 random bytes, top bit clear so the DER INTEGER stays positive, never zero.
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01);
        return serial;
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Issued {SpiffeId} until {NotAfter:u} (proved by {Proof})")]
    private partial void LogIssued(string spiffeId, DateTimeOffset notAfter, string proof);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Refused a CSR for another identity: caller proved {Proven} but asked for {Requested}")]
    private partial void LogOtherIdentityRequested(string proven, string requested);

    [LoggerMessage(EventId = 602, Level = LogLevel.Warning, Message = "Refused a signing request ({Reason}): {Problem}")]
    private partial void LogRefused(CaRefusal reason, string problem);

    [LoggerMessage(EventId = 604, Level = LogLevel.Information, Message = "CA state changed from generation {From} to {To}: {Phase}, signing root sha256 {SigningRoot}")]
    private partial void LogStateChanged(long from, long to, RotationPhase phase, string signingRoot);

    [LoggerMessage(EventId = 603, Level = LogLevel.Information, Message = "Created a bootstrap token for namespace {Namespace}, service account {ServiceAccount}, expiring {ExpiresAt:u}")]
    private partial void LogTokenCreated(string @namespace, string serviceAccount, DateTimeOffset expiresAt);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Silo.Ca;

namespace Runtime.Benchmarks;

/// <summary>
/// CSR signing by the mesh CA on one thread: parse and verify the PKCS#10 request, verify the proof (bootstrap
/// token, or the current certificate's chain and signature for a renewal), issue and PEM-encode the leaf.
/// Each operation signs one CSR on one thread, so the <c>Op/s</c> column the report prints is CSRs signed per
/// second per core. Keys and CSRs are made in setup, as sidecars make them, so only the CA's work is timed.
/// </summary>
[SimpleJob(RunStrategy.Throughput, launchCount: 1, warmupCount: 3, iterationCount: 10)]
[MemoryDiagnoser]
[OperationsPerSecond]
public class CaSigningBenchmarks
{
    private CertificateAuthority? _ca;
    private byte[] _csr = [];
    private TokenProof? _token;
    private RenewalProof? _renewal;

    [GlobalSetup]
    public void Setup()
    {
        var settings = new CaSettings("cluster.local", [], TimeSpan.FromHours(24), TimeSpan.FromDays(90), null);
        var root = CaSigner.CreateRoot(settings.TrustDomain, DateTimeOffset.UtcNow);
        var signer = new CaSigner(root, [], [X509CertificateLoader.LoadCertificate(root.RawData)], CaSigner.SelfSignedMode);
        _ca = new CertificateAuthority(signer, new BootstrapTokenIssuer(RandomNumberGenerator.GetBytes(32), settings.TrustDomain), settings, TimeProvider.System, NullLogger.Instance);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _csr = new CertificateRequest("", key, HashAlgorithmName.SHA256).CreateSigningRequest();
        _token = new TokenProof(_ca.CreateToken("default", "reviews", null).Token);
        var current = _ca.Sign(_csr, _token, null);
        using var leaf = X509Certificate2.CreateFromPem(current.LeafPem);
        _renewal = new RenewalProof([leaf.RawData], key.SignData(_csr, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [GlobalCleanup]
    public void Cleanup() => _ca?.Dispose();

    /// <summary>First certificate: CSR proved by a bootstrap token.</summary>
    [Benchmark(Baseline = true)]
    public string SignWithToken() => _ca!.Sign(_csr, _token!, null).LeafPem;

    /// <summary>Renewal: CSR proved by the current certificate (chain built, proof signature verified).</summary>
    [Benchmark]
    public string SignRenewal() => _ca!.Sign(_csr, _renewal!, null).LeafPem;
}

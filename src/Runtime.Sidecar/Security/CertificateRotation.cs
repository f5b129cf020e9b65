using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security;
using Runtime.Grpc;
using Runtime.Sidecar.Discovery;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The sidecar's workload certificate from the mesh CA: the first one obtained with the bootstrap token, each
/// later one renewed at about half its lifetime (with jitter) proving the current certificate. When the CA is
/// unreachable it retries with backoff and keeps serving the current certificate until it expires. Without a
/// token it does nothing (plaintext only) and says so once. Reads are lock-free: one immutable state swapped whole.
/// </summary>
/// <remarks>
/// Root rotation: the trust bundle comes from two sources, the sign responses and the snapshots
/// (<see cref="ApplyTrust"/>); the one with the highest CA generation wins and an older one never replaces it. When
/// the CA signs under another root than the one the current leaf chains to, the certificate is renewed within a few
/// seconds (jittered) instead of at half its lifetime, so the CA's FINISH step is not held up for hours.
/// </remarks>
internal sealed partial class CertificateRotation : IWorkloadCertificateSource, IAsyncDisposable
{
    /// <summary>Renewals in a row that may still come from a replica behind the signer switch before the normal schedule resumes.</summary>
    private const int MaxQuickRenewals = 5;

    private readonly CaClient _client;
    private readonly Func<string?> _token;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _update = new();
    private State _state = new(null, "", [], [], 0, "");
    private TaskCompletionSource<WorkloadCertificate> _nextIssued = NewIssuedSignal();
    private TaskCompletionSource _wake = NewWakeSignal();
    private int _renewSoon;
    private Task? _loop;
    private int _disposed;

    /// <summary>Creates the rotation; <paramref name="token"/> reads the bootstrap token (null when there is none).</summary>
    public CertificateRotation(CaClient client, Func<string?> token, TimeProvider time, ILogger<CertificateRotation> logger, Random? random = null)
    {
        _client = client;
        _token = token;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared;
    }

    /// <inheritdoc />
    public WorkloadCertificate? Current => Volatile.Read(ref _state).Certificate;

    /// <inheritdoc />
    public X509Certificate2Collection TrustBundle => Volatile.Read(ref _state).TrustBundle;

    /// <inheritdoc />
    public IReadOnlyList<string> TrustDomains => Volatile.Read(ref _state).TrustDomains;

    /// <summary>The certificate with the root it chains to and the bundle generation, for heartbeats; null without one.</summary>
    public HeldCertificate? Held => Volatile.Read(ref _state) is { Certificate: { } certificate } state
        ? new HeldCertificate(certificate, state.LeafRootSha256, state.TrustGeneration)
        : null;

    /// <summary>The CA generation of <see cref="TrustBundle"/> (0 until the first bundle).</summary>
    public long TrustGeneration => Volatile.Read(ref _state).TrustGeneration;

    /// <summary>Completes when the next certificate (first or renewed) is in place.</summary>
    public Task<WorkloadCertificate> NextIssued => Volatile.Read(ref _nextIssued).Task;

    /// <summary>
    /// Starts obtaining and renewing the certificate in the background; without a bootstrap token it logs that
    /// the sidecar runs plaintext only and starts nothing.
    /// </summary>
    public void Start()
    {
        if (ReadToken() is null)
        {
            LogNoToken();
            return;
        }

        _loop = Task.Run(() => RunAsync(_stopping.Token));
    }

    /// <summary>Stops renewing; safe to call more than once (the host stops it, then the container disposes it).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try
            {
                await _loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _stopping.Dispose();
    }

    /// <summary>
    /// Takes the trust bundle of a snapshot when its generation is higher than the one in use (a lower one is
    /// ignored), and asks for an early renewal when the CA signs under another root than the current leaf's.
    /// </summary>
    /// <returns>Null when applied or ignored as older; otherwise why the bundle is unusable (kept the current one).</returns>
    public string? ApplyTrust(MeshTrustBundle trust)
    {
        ArgumentNullException.ThrowIfNull(trust);
        bool renew;
        lock (_update)
        {
            var state = _state;
            if (trust.Generation > state.TrustGeneration)
            {
                var roots = new X509Certificate2Collection();
                try
                {
                    roots.ImportFromPem(trust.RootsPem);
                }
                catch (CryptographicException ex)
                {
                    LogTrustUnusable(trust.Generation, ex.Message);
                    return $"trust bundle generation {trust.Generation}: the roots are not PEM certificates ({ex.Message})";
                }

                if (roots.Count == 0 || trust.TrustDomains.Count == 0)
                {
                    LogTrustUnusable(trust.Generation, "no root or no trust domain");
                    return $"trust bundle generation {trust.Generation} has no root or no trust domain";
                }

                state = state with { TrustBundle = roots, TrustDomains = trust.TrustDomains, TrustGeneration = trust.Generation, SigningRootSha256 = trust.SigningRootSha256 };
                Volatile.Write(ref _state, state);
                LogTrustApplied(trust.Generation, roots.Count, trust.SigningRootSha256);
            }

            renew = state.Certificate is not null && state.TrustGeneration == trust.Generation
                && !string.Equals(state.LeafRootSha256, trust.SigningRootSha256, StringComparison.Ordinal);
        }

        if (renew)
        {
            RenewSoon();
        }

        return null;
    }

    /// <summary>When to renew a certificate valid until <paramref name="notAfter"/> obtained at <paramref name="issuedAt"/>: 45-55% of the way.</summary>
    internal static DateTimeOffset RenewalTime(DateTimeOffset issuedAt, DateTimeOffset notAfter, double jitter) =>
        issuedAt + ((notAfter - issuedAt) * (0.45 + (0.10 * jitter)));

    /// <summary>A few seconds at most, jittered so a fleet does not renew in lockstep after a signer switch.</summary>
    internal static TimeSpan EarlyRenewalDelay(double jitter) => TimeSpan.FromMilliseconds(500 + (2500 * jitter));

    private void RenewSoon()
    {
        Volatile.Write(ref _renewSoon, 1);
        Interlocked.Exchange(ref _wake, NewWakeSignal()).TrySetResult();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var mismatches = 0;
        var proveWithToken = false;
        var renewAt = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            // Taken before the flag is read: a RenewSoon in between completes this very signal.
            var wake = Volatile.Read(ref _wake).Task;
            var now = _time.GetUtcNow();
            if (Interlocked.Exchange(ref _renewSoon, 0) == 1 && Current is not null && failures == 0)
            {
                var soon = now + EarlyRenewalDelay(_random.NextDouble());
                if (soon < renewAt)
                {
                    renewAt = soon;
                    var signingRoot = Volatile.Read(ref _state).SigningRootSha256;
                    LogEarlyRenewal(signingRoot, renewAt);
                }
            }

            if (now < renewAt)
            {
                using var woken = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var delay = Task.Delay(renewAt - now, _time, woken.Token);
                await Task.WhenAny(delay, wake).ConfigureAwait(false);
                await woken.CancelAsync().ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }

            var current = Current;
            var usable = !proveWithToken && current is not null && current.NotAfter > now ? current : null;
            var token = usable is null ? ReadToken() : null;
            if (usable is null && token is null)
            {
                if (current is not null)
                {
                    LogExpiredWithoutToken(current.SpiffeId, current.NotAfter);
                }

                return;
            }

            try
            {
                using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
                var result = await _client.SignAsync(key, token, usable, cancellationToken).ConfigureAwait(false);
                // The leaf keeps its own reference to the key; disposing ours is fine.
                var state = Adopt(result);
                failures = 0;
                proveWithToken = false;
                renewAt = RenewalTime(now, result.Certificate.NotAfter, _random.NextDouble());
                if (!string.Equals(state.LeafRootSha256, state.SigningRootSha256, StringComparison.Ordinal))
                {
                    // Signed by a replica that has not followed the switch yet: try again soon, backing off, and after
                    // a few tries go back to the normal schedule rather than renew every few seconds for good.
                    if (mismatches < MaxQuickRenewals)
                    {
                        var soon = now + (mismatches == 0 ? EarlyRenewalDelay(_random.NextDouble()) : Backoff.Delay(mismatches + 4, _random));
                        renewAt = soon < renewAt ? soon : renewAt;
                    }

                    mismatches++;
                }
                else
                {
                    mismatches = 0;
                }

                LogIssued(result.Certificate.SpiffeId, result.Certificate.NotAfter, renewAt, usable is null ? "token" : "current certificate");
                Interlocked.Exchange(ref _nextIssued, NewIssuedSignal()).TrySetResult(result.Certificate);
            }
            catch (Exception ex) when (ex is GrpcException or CryptographicException && !cancellationToken.IsCancellationRequested)
            {
                var delay = Backoff.Delay(failures++, _random);
                var status = ex is GrpcException grpc ? grpc.Status : GrpcStatusCode.Internal;
                if (status == GrpcStatusCode.Unauthenticated && usable is not null && ReadToken() is not null)
                {
                    // The CA no longer accepts the current certificate (e.g. its root changed): prove with the token
                    // next time, serving the current certificate meanwhile.
                    proveWithToken = true;
                }

                LogSignFailed(status, ex.Message, delay, usable?.NotAfter);
                renewAt = _time.GetUtcNow() + delay;
            }
        }
    }

    /// <summary>
    /// Puts a new certificate in place; its trust bundle too unless the one in use is of a higher generation (then
    /// the known signing root stays, and a leaf from another root is renewed soon).
    /// </summary>
    private State Adopt(CaSignResult result)
    {
        lock (_update)
        {
            var current = _state;
            var newer = result.Generation >= current.TrustGeneration;
            var bundle = newer ? result.TrustBundle : current.TrustBundle;
            var leafRoot = RootOf(result.Certificate, result.TrustBundle) ?? RootOf(result.Certificate, current.TrustBundle) ?? "";
            var next = newer
                ? new State(result.Certificate, leafRoot, bundle, result.TrustDomains, result.Generation, leafRoot)
                : current with { Certificate = result.Certificate, LeafRootSha256 = leafRoot };
            Volatile.Write(ref _state, next);
            return next;
        }
    }

    /// <summary>SHA-256 of the root in <paramref name="roots"/> that <paramref name="certificate"/> chains to, or null.</summary>
    internal static string? RootOf(WorkloadCertificate certificate, X509Certificate2Collection roots) =>
        TrustChain.RootOf(certificate.Leaf, certificate.Chain, roots) is { } root ? Convert.ToHexStringLower(SHA256.HashData(root.RawDataMemory.Span)) : null;

    private string? ReadToken()
    {
        try
        {
            return _token();
        }
        catch (IOException ex)
        {
            LogTokenUnreadable(ex.Message);
            return null;
        }
    }

    private static TaskCompletionSource<WorkloadCertificate> NewIssuedSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static TaskCompletionSource NewWakeSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "No bootstrap token (--token-file or MESH_TOKEN): running without a workload certificate, plaintext only")]
    private partial void LogNoToken();

    [LoggerMessage(EventId = 701, Level = LogLevel.Information, Message = "Workload certificate {SpiffeId} valid until {NotAfter:u}, renewal at {RenewAt:u} (proved by {Proof})")]
    private partial void LogIssued(string spiffeId, DateTimeOffset notAfter, DateTimeOffset renewAt, string proof);

    [LoggerMessage(EventId = 702, Level = LogLevel.Warning, Message = "Certificate signing failed ({Status}: {Problem}); retrying in {Delay}; the current certificate stays in use until {NotAfter:u}")]
    private partial void LogSignFailed(GrpcStatusCode status, string problem, TimeSpan delay, DateTimeOffset? notAfter);

    [LoggerMessage(EventId = 703, Level = LogLevel.Error, Message = "Workload certificate {SpiffeId} expired at {NotAfter:u} and no bootstrap token is available to obtain a new one")]
    private partial void LogExpiredWithoutToken(string spiffeId, DateTimeOffset notAfter);

    [LoggerMessage(EventId = 704, Level = LogLevel.Warning, Message = "The bootstrap token file cannot be read: {Problem}")]
    private partial void LogTokenUnreadable(string problem);

    [LoggerMessage(EventId = 705, Level = LogLevel.Information, Message = "Trust bundle generation {Generation} in use ({Roots} roots, new leaves signed under {SigningRoot})")]
    private partial void LogTrustApplied(long generation, int roots, string signingRoot);

    [LoggerMessage(EventId = 706, Level = LogLevel.Warning, Message = "Trust bundle generation {Generation} is unusable ({Problem}); keeping the current one")]
    private partial void LogTrustUnusable(long generation, string problem);

    [LoggerMessage(EventId = 707, Level = LogLevel.Information, Message = "The CA now signs under root {SigningRoot}: renewing the workload certificate at {RenewAt:u}")]
    private partial void LogEarlyRenewal(string signingRoot, DateTimeOffset renewAt);

    /// <param name="Certificate">The workload certificate, or null before the first.</param>
    /// <param name="LeafRootSha256">The root the certificate chains to.</param>
    /// <param name="TrustBundle">The roots peers must chain to.</param>
    /// <param name="TrustDomains">The mesh trust domain, then its aliases.</param>
    /// <param name="TrustGeneration">The CA generation of the bundle.</param>
    /// <param name="SigningRootSha256">The root the CA signs under, as of that generation.</param>
    private sealed record State(
        WorkloadCertificate? Certificate, string LeafRootSha256, X509Certificate2Collection TrustBundle, IReadOnlyList<string> TrustDomains, long TrustGeneration, string SigningRootSha256);
}

using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Runtime.Grpc;
using Runtime.Sidecar.Discovery;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The sidecar's workload certificate from the mesh CA: the first one obtained with the bootstrap token, each
/// later one renewed at about half its lifetime (with jitter) proving the current certificate. When the CA is
/// unreachable it retries with backoff and keeps serving the current certificate until it expires. Without a
/// token it does nothing (plaintext only) and says so once. Reads are lock-free: one immutable state swapped whole.
/// </summary>
internal sealed partial class CertificateRotation : IWorkloadCertificateSource, IAsyncDisposable
{
    private readonly CaClient _client;
    private readonly Func<string?> _token;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Random _random;
    private readonly CancellationTokenSource _stopping = new();
    private State _state = new(null, [], []);
    private TaskCompletionSource<WorkloadCertificate> _nextIssued = NewIssuedSignal();
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

    /// <summary>When to renew a certificate valid until <paramref name="notAfter"/> obtained at <paramref name="issuedAt"/>: 45-55% of the way.</summary>
    internal static DateTimeOffset RenewalTime(DateTimeOffset issuedAt, DateTimeOffset notAfter, double jitter) =>
        issuedAt + ((notAfter - issuedAt) * (0.45 + (0.10 * jitter)));

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        var proveWithToken = false;
        var renewAt = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var now = _time.GetUtcNow();
            if (now < renewAt)
            {
                await Task.Delay(renewAt - now, _time, cancellationToken).ConfigureAwait(false);
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
                Volatile.Write(ref _state, new State(result.Certificate, result.TrustBundle, result.TrustDomains));
                failures = 0;
                proveWithToken = false;
                renewAt = RenewalTime(now, result.Certificate.NotAfter, _random.NextDouble());
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

    private sealed record State(WorkloadCertificate? Certificate, X509Certificate2Collection TrustBundle, IReadOnlyList<string> TrustDomains);
}

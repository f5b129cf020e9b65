using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Mesh;
using Runtime.Abstractions.Telemetry;
using Runtime.Abstractions.Telemetry.Expressions;
using Runtime.Sidecar.Configuration;

namespace Runtime.Sidecar.AccessLogging;

/// <summary>
/// The sidecar's access log: decides per request, from the Telemetry resources in the current snapshot
/// (<see cref="AccessLogPolicy"/>, resolved once per snapshot and side), whether the request is logged, and hands
/// the entry to the <see cref="AccessLogWriter"/>. Called by the request metrics with the values they computed.
/// Files that mesh config names are opened on first use and closed (flushed first) once an applied config no
/// longer names them; a write in flight holds its file open until its line is queued (<see cref="AccessLogFile"/>).
/// </summary>
internal sealed partial class AccessLog : IAsyncDisposable
{
    private readonly ConditionalWeakTable<ProxySnapshot, Policies> _resolved = [];
    private readonly ConcurrentDictionary<string, FileSlot> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AccessLogFile> _retired = new();
    private readonly Lock _reconcileLock = new();
    private readonly ProxyConfig _config;
    private readonly AccessLogWriter _writer;
    private readonly string? _appAddress;
    private readonly ILogger _logger;

    /// <summary>Logs to <paramref name="writer"/> (the sidecar's own output) and to the files mesh config names.</summary>
    public AccessLog(ProxyConfig config, AccessLogWriter writer, string? appAddress, string inboundCluster, ILogger<AccessLog>? logger = null)
    {
        _config = config;
        _writer = writer;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _appAddress = appAddress;
        InboundCluster = inboundCluster;
        config.Applied += Reconcile;
    }

    /// <summary>The writer, for its drop counter.</summary>
    public AccessLogWriter Writer => _writer;

    /// <summary>The inbound cluster, <c>inbound|PORT||</c>: <c>upstream.cluster</c> of inbound requests.</summary>
    public string InboundCluster { get; }

    /// <summary>Whether the given side logs anything now (before its filter): when false, skip building attributes.</summary>
    public bool IsOn(bool outbound) => _config.Current?.Snapshot is { } snapshot && PolicyFor(snapshot, outbound).Enabled;

    /// <summary>Whether a request or connection on the given side with <paramref name="attributes"/> is logged now.</summary>
    public bool ShouldLog<T>(bool outbound, in T attributes) where T : IAccessLogAttributes =>
        _config.Current?.Snapshot is { } snapshot && PolicyFor(snapshot, outbound).ShouldLog(attributes);

    /// <summary>Flushes and closes the files mesh config opened.</summary>
    public async ValueTask DisposeAsync()
    {
        _config.Applied -= Reconcile;
        foreach (var path in _files.Keys)
        {
            Retire(path);
        }

        while (_retired.TryDequeue(out var file))
        {
            await file.Lifetime.Closed.ConfigureAwait(false);
        }
    }

    /// <summary>Retires the files that <paramref name="state"/>'s config no longer names.</summary>
    private void Reconcile(ProxyState state)
    {
        lock (_reconcileLock)
        {
            // Resolve against the newest state: a later apply may already have replaced the one raised.
            var policies = Resolved(_config.Current?.Snapshot ?? state.Snapshot);
            foreach (var path in _files.Keys)
            {
                if (!Names(policies.Client, path) && !Names(policies.Server, path))
                {
                    Retire(path);
                }
            }
        }
    }

    private static bool Names(AccessLogPolicy policy, string path) =>
        policy.Enabled && policy.Output is { IsStdout: false } output && string.Equals(output.Path, path, StringComparison.Ordinal);

    private void Retire(string path)
    {
        if (_files.TryRemove(path, out var slot) && slot.Opened is { } file)
        {
            _retired.Enqueue(file);
            file.Lifetime.Retire();
        }
    }

    private AccessLogPolicy PolicyFor(ProxySnapshot snapshot, bool outbound)
    {
        var policies = Resolved(snapshot);
        return outbound ? policies.Client : policies.Server;
    }

    private Policies Resolved(ProxySnapshot snapshot) =>
        _resolved.TryGetValue(snapshot, out var policies) ? policies : _resolved.GetValue(snapshot, s => new Policies(
            AccessLogPolicy.Resolve(s.Resources, _config.Identity.Namespace, _config.Identity.Labels, client: true),
            AccessLogPolicy.Resolve(s.Resources, _config.Identity.Namespace, _config.Identity.Labels, client: false)));

    // A lease on the file, opening it when needed; a file retired between lookup and lease is opened anew. Null when
    // the file cannot be opened: the line goes to the sidecar's own log, and opening is tried again after a while.
    private AccessLogFile? AcquireFile(string path)
    {
        while (true)
        {
            var slot = _files.GetOrAdd(path, p => new FileSlot(() => Open(p)));
            if (slot.File is not { } file)
            {
                if (Environment.TickCount64 >= slot.RetryAt)
                {
                    _files.TryRemove(new KeyValuePair<string, FileSlot>(path, slot));
                }

                return null;
            }

            if (file.Lifetime.TryAcquire())
            {
                // Retired while it was being opened (Retire skips an unopened one): this line still goes in, and the
                // file closes after it instead of staying open with no config naming it.
                if (!_files.TryGetValue(path, out var current) || !ReferenceEquals(current, slot))
                {
                    _retired.Enqueue(file);
                    file.Lifetime.Retire();
                }

                return file;
            }
        }
    }

    private AccessLogFile? Open(string path)
    {
        try
        {
            return new AccessLogFile(AccessLogWriter.Open(path, AccessLogFormat.Text));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Log.FileUnopenable(_logger, path, e.Message, (int)FileSlot.RetryInterval.TotalSeconds);
            return null;
        }
    }

    /// <summary>
    /// Queues the entry for a completed request (after <see cref="ShouldLog"/> said yes); an inbound request's upstream
    /// is the local application (<paramref name="upstreamHost"/> is ignored). The byte counts are the body bytes the
    /// request metrics record: as moved on the wire, or the declared length of an answer the mesh wrote itself.
    /// </summary>
    public void Write(HttpContext context, bool outbound, TimeSpan elapsed, int responseCode, string responseFlags, long bytesReceived, long bytesSent, string? upstreamHost, string? source, string? destination)
    {
        var request = context.Request;
        var headers = request.Headers;
        var snapshot = _config.Current?.Snapshot;
        var output = snapshot is null ? null : PolicyFor(snapshot, outbound).Output;
        var file = output is null || output.IsStdout ? null : AcquireFile(output.Path);
        (file?.Writer ?? _writer).Enqueue(new AccessLogEntry
        {
            Output = output,
            StartTime = DateTime.UtcNow - elapsed,
            Outbound = outbound,
            Method = request.Method,
            Path = request.QueryString.HasValue ? request.Path.Value + request.QueryString.Value : request.Path.Value ?? "/",
            Protocol = request.Protocol,
            ResponseCode = responseCode,
            ResponseFlags = responseFlags,
            BytesReceived = bytesReceived,
            BytesSent = bytesSent,
            DurationMs = (long)elapsed.TotalMilliseconds,
            UpstreamHost = outbound ? upstreamHost : _appAddress,
            RequestId = Header(headers, "x-request-id"),
            Authority = request.Host.HasValue ? request.Host.Value : null,
            ForwardedFor = Header(headers, "x-forwarded-for"),
            UserAgent = Header(headers, "user-agent"),
            SourceIdentity = source,
            DestinationIdentity = destination,
        });
        if (file is not null)
        {
            file.Lifetime.Release();
            // Config changed while this line picked its file: a file reopened for it must not stay open.
            if (!ReferenceEquals(_config.Current?.Snapshot, snapshot) && _config.Current is { } now)
            {
                Reconcile(now);
            }
        }
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private sealed record Policies(AccessLogPolicy Client, AccessLogPolicy Server);
    /// <summary>A file mesh config names: opened once on first use, or remembered as unopenable until
    /// <see cref="RetryAt"/>.</summary>
    private sealed class FileSlot(Func<AccessLogFile?> open)
    {
        /// <summary>How long an unopenable file is left before opening it is tried again.</summary>
        public static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

        private readonly Lazy<AccessLogFile?> _file = new(open);

        /// <summary>The open file, opening it on first use; null when it cannot be opened.</summary>
        public AccessLogFile? File => _file.Value;

        /// <summary>The file if an earlier use opened it; never opens it.</summary>
        public AccessLogFile? Opened => _file.IsValueCreated ? _file.Value : null;

        /// <summary>When (<see cref="Environment.TickCount64"/>) an unopenable file may be tried again.</summary>
        public long RetryAt { get; } = Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds;
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Warning, Message = "access log file '{Path}' named by mesh config cannot be opened ({Problem}); its lines go to the sidecar's own access log, and opening is tried again in {Seconds} s")]
        public static partial void FileUnopenable(ILogger logger, string path, string problem, int seconds);
    }
}

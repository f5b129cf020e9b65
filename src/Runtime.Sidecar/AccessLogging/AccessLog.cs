using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
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
internal sealed class AccessLog : IAsyncDisposable
{
    private readonly ConditionalWeakTable<ProxySnapshot, Policies> _resolved = [];
    private readonly ConcurrentDictionary<string, Lazy<AccessLogFile>> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<AccessLogFile> _retired = new();
    private readonly Lock _reconcileLock = new();
    private readonly ProxyConfig _config;
    private readonly AccessLogWriter _writer;
    private readonly string? _appAddress;

    /// <summary>Logs to <paramref name="writer"/> (the sidecar's own output) and to the files mesh config names.</summary>
    public AccessLog(ProxyConfig config, AccessLogWriter writer, string? appAddress, string inboundCluster)
    {
        _config = config;
        _writer = writer;
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
        if (_files.TryRemove(path, out var file) && file.IsValueCreated)
        {
            _retired.Enqueue(file.Value);
            file.Value.Lifetime.Retire();
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

    // A lease on the file, opening it when needed; a file retired between lookup and lease is opened anew.
    private AccessLogFile AcquireFile(string path)
    {
        while (true)
        {
            var file = _files.GetOrAdd(path, p => new(() => new AccessLogFile(AccessLogWriter.Open(p, AccessLogFormat.Text)))).Value;
            if (file.Lifetime.TryAcquire())
            {
                return file;
            }
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
}

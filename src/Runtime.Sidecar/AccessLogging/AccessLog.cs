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
/// </summary>
internal sealed class AccessLog(ProxyConfig config, AccessLogWriter writer, string? appAddress, string inboundCluster) : IAsyncDisposable
{
    private readonly ConditionalWeakTable<ProxySnapshot, Policies> _resolved = [];

    // Mesh config (issue 6): files named by accessLogFile or an envoyFileAccessLog provider, opened on first use and kept.
    private readonly ConcurrentDictionary<string, Lazy<AccessLogWriter>> _files = new(StringComparer.Ordinal);

    /// <summary>The writer, for its drop counter.</summary>
    public AccessLogWriter Writer => writer;

    /// <summary>The inbound cluster, <c>inbound|PORT||</c>: <c>upstream.cluster</c> of inbound requests.</summary>
    public string InboundCluster => inboundCluster;

    /// <summary>Whether the given side logs anything now (before its filter): when false, skip building attributes.</summary>
    public bool IsOn(bool outbound) => config.Current?.Snapshot is { } snapshot && PolicyFor(snapshot, outbound).Enabled;

    /// <summary>Whether a request or connection on the given side with <paramref name="attributes"/> is logged now.</summary>
    public bool ShouldLog<T>(bool outbound, in T attributes) where T : IAccessLogAttributes =>
        config.Current?.Snapshot is { } snapshot && PolicyFor(snapshot, outbound).ShouldLog(attributes);

    /// <summary>Flushes and closes the files mesh config opened.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var file in _files.Values.Where(f => f.IsValueCreated))
        {
            await file.Value.DisposeAsync().ConfigureAwait(false);
        }
    }

    private AccessLogPolicy PolicyFor(ProxySnapshot snapshot, bool outbound)
    {
        var policies = _resolved.GetValue(snapshot, s => new Policies(
            AccessLogPolicy.Resolve(s.Resources, config.Identity.Namespace, config.Identity.Labels, client: true),
            AccessLogPolicy.Resolve(s.Resources, config.Identity.Namespace, config.Identity.Labels, client: false)));
        return outbound ? policies.Client : policies.Server;
    }

    private AccessLogWriter WriterFor(AccessLogOutput? output) => output is null || output.IsStdout ? writer
        : _files.GetOrAdd(output.Path, path => new(() => AccessLogWriter.Open(path, AccessLogFormat.Text))).Value;

    /// <summary>
    /// Queues the entry for a completed request (after <see cref="ShouldLog"/> said yes); an inbound request's upstream
    /// is the local application (<paramref name="upstreamHost"/> is ignored). The byte counts are the body bytes the
    /// request metrics record: as moved on the wire, or the declared length of an answer the mesh wrote itself.
    /// </summary>
    public void Write(HttpContext context, bool outbound, TimeSpan elapsed, int responseCode, string responseFlags, long bytesReceived, long bytesSent, string? upstreamHost, string? source, string? destination)
    {
        var request = context.Request;
        var headers = request.Headers;
        var output = config.Current?.Snapshot is { } snapshot ? PolicyFor(snapshot, outbound).Output : null;
        WriterFor(output).Enqueue(new AccessLogEntry
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
            UpstreamHost = outbound ? upstreamHost : appAddress,
            RequestId = Header(headers, "x-request-id"),
            Authority = request.Host.HasValue ? request.Host.Value : null,
            ForwardedFor = Header(headers, "x-forwarded-for"),
            UserAgent = Header(headers, "user-agent"),
            SourceIdentity = source,
            DestinationIdentity = destination,
        });
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) && value.Count > 0 ? value.ToString() : null;

    private sealed record Policies(AccessLogPolicy Client, AccessLogPolicy Server);
}

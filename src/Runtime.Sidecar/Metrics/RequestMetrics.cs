using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Networking;
using Runtime.Sidecar.AccessLogging;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Metrics;

/// <summary>
/// Istio's standard HTTP request metrics for this sidecar: every request on the outbound listener is reported with
/// <c>reporter="source"</c>, every request on the inbound listener with <c>reporter="destination"</c>. Labels come
/// from the sidecar's own identity, the endpoint the outbound proxy picked, and the verified mTLS peer.
/// </summary>
/// <remarks>
/// The hot path allocates nothing for labels: peers are interned once per endpoint, peer identity or certificate,
/// and a request finds its pre-bound <see cref="RequestSeries"/> by a reference-compared struct key.
/// </remarks>
internal sealed partial class RequestMetrics
{
    private readonly ConcurrentDictionary<RequestSeriesKey, RequestSeries> _series = new();
    private readonly ConcurrentDictionary<PeerLabels, PeerLabels> _interned = new();
    private readonly ConditionalWeakTable<MeshEndpoint, UpstreamNote> _upstreams = [];
    private readonly ConditionalWeakTable<Cluster, UpstreamNote> _endpointless = [];
    private readonly ConditionalWeakTable<PeerIdentity, VerifiedPeer> _peers = [];
    private readonly PeerMetadataTable _peerMetadata = new();
    private readonly IWorkloadCertificateSource? _certificates;
    private readonly SidecarIdentity _identity;
    private readonly PeerLabels _local;
    private readonly AccessLog? _accessLog; // access logs (issue 6)
    private readonly MetricsOverrides? _overrides; // Telemetry metrics overrides (issue 6)
    private Principal? _localPrincipal;

    public RequestMetrics(SidecarIdentity identity, IWorkloadCertificateSource? certificates = null, AccessLog? accessLog = null, MetricsOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(identity);
        _identity = identity;
        _certificates = certificates;
        _accessLog = accessLog;
        _overrides = overrides;
        _local = Intern(new PeerLabels(
            identity.Service, identity.Namespace, PeerLabels.UnknownValue, PeerLabels.Label(identity.Labels, "app"), PeerLabels.Label(identity.Labels, "version"),
            $"{identity.Service}.{identity.Namespace}.svc.cluster.local", identity.Service, identity.Namespace, PeerLabels.LocalCluster));
        LocalMetadata = new PeerMetadata(_local.Workload, _local.Namespace, _local.App, _local.Version, _local.Cluster).Format();
    }

    /// <summary>This workload's <see cref="PeerMetadata"/> header value, sent to peer sidecars (built once).</summary>
    public string LocalMetadata { get; }

    /// <summary>
    /// Called by the outbound proxy once it picked <paramref name="endpoint"/> (null: none was available) of
    /// <paramref name="cluster"/>: remembers the destination's labels for the request's report.
    /// </summary>
    public void NoteUpstream(HttpContext context, ProxyState state, Cluster cluster, MeshEndpoint? endpoint) =>
        context.Features.Set(Upstream(state, cluster, endpoint));

    // The destination's interned labels for one picked endpoint (or none), cached per endpoint object.
    private UpstreamNote Upstream(ProxyState state, Cluster cluster, MeshEndpoint? endpoint)
    {
        var mtls = _certificates?.Current is not null;
        return endpoint is null
            ? _endpointless.TryGetValue(cluster, out var known) && known.Matches(cluster, mtls) ? known : Remember(_endpointless, cluster, CreateNote(state, cluster, null, mtls))
            : _upstreams.TryGetValue(endpoint, out known) && known.Matches(cluster, mtls) ? known : Remember(_upstreams, endpoint, CreateNote(state, cluster, endpoint, mtls));
    }

    /// <summary>The cluster the outbound proxy picked for the request on <paramref name="context"/>, for tracing (issue 6); null when it routed nowhere.</summary>
    public static ClusterKey? UpstreamClusterOf(HttpContext context) => context.Features.Get<UpstreamNote>()?.Cluster;

    /// <summary>Reports the request on <paramref name="context"/>, started at <paramref name="startTimestamp"/>, once it completed.</summary>
    public Task ObserveAsync(HttpContext context, bool outbound, long startTimestamp, Task handling)
    {
        if (handling.IsCompletedSuccessfully)
        {
            Record(context, outbound, startTimestamp);
            return handling;
        }

        return ObserveSlowAsync(context, outbound, startTimestamp, handling);
    }

    private async Task ObserveSlowAsync(HttpContext context, bool outbound, long startTimestamp, Task handling)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch
        {
            // Kestrel answers 500 for an exception thrown before the response started.
            Record(context, outbound, startTimestamp, threw: true);
            throw;
        }

        Record(context, outbound, startTimestamp);
    }

    private void Record(HttpContext context, bool outbound, long startTimestamp, bool threw = false)
    {
        var request = context.Request;
        var response = context.Response;
        var aborted = context.RequestAborted.IsCancellationRequested && !response.HasStarted;
        // A client gone before any response: Envoy reports code 0 with DC.
        var code = aborted ? 0 : threw && !response.HasStarted ? StatusCodes.Status500InternalServerError : response.StatusCode;
        var flags = aborted ? Proxying.MeshReasons.DownstreamDisconnect
            : ResponseFlags.Of(response.Headers.TryGetValue(ForwardErrorWriter.ReasonHeader, out var reason) ? reason.ToString() : null);
        // Body sizes as moved on the wire by the forwarder; the declared length only for responses the mesh wrote itself.
        var transferred = context.Features.Get<TransferredBodyBytes>();
        var requestBytes = transferred?.Request ?? request.ContentLength ?? 0;
        var responseBytes = transferred is { ResponseRelayed: true } ? transferred.Response : response.ContentLength ?? 0;
        Tracing.RequestSpan.NoteSizes(context, requestBytes, responseBytes);
        // Metrics overrides (issue 6): a side with every request metric disabled skips the series altogether.
        var enabled = _overrides?.Current.Side(outbound) ?? RequestMetricSet.All;
        var logOn = _accessLog is not null && _accessLog.IsOn(outbound);
        if (enabled.Any || logOn)
        {
            var grpc = request.ContentType is { } type && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase);
            var grpcStatus = grpc ? GrpcStatus(context) : -1;
            var tls = outbound ? null : TlsPeerConnection.Of(context);
            var key = outbound
                ? new RequestSeriesKey(true, LocalWithPrincipal(), context.Features.Get<UpstreamNote>()?.Labels ?? PeerLabels.Unknown, code, flags, grpc, grpcStatus, SecurityPolicy.Unknown)
                : new RequestSeriesKey(false, tls is null ? PeerLabels.Unknown : PeerOf(tls.Peer, request.Headers), tls is null ? _local : LocalWithPrincipal(), code, flags, grpc, grpcStatus, tls is null ? SecurityPolicy.None : SecurityPolicy.MutualTls);
            // The access-log filter (issue 6) sees the same code, flags and peers as the metrics.
            var log = logOn && _accessLog!.ShouldLog(outbound, new RequestLogAttributes(context, outbound, code, flags, tls is not null, ProvenPrincipal(key.Source), ProvenPrincipal(key.Destination), _accessLog.InboundCluster));
            var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
            if (enabled.Any)
            {
                var series = _series.TryGetValue(key, out var found) ? found : _series.GetOrAdd(key, static k => new RequestSeries(LabelsOf(k)));
                series.Record(enabled, elapsed.TotalMilliseconds, requestBytes, responseBytes);
            }

            // Access logs (issue 6): the same code, flags, duration, wire byte counts and peers as the metrics.
            if (log)
            {
                _accessLog?.Write(context, outbound, elapsed, code, flags, requestBytes, responseBytes, context.Features.Get<UpstreamNote>()?.Host, Identity(key.Source), Identity(key.Destination));
            }
        }

        if (transferred is not null)
        {
            TransferredBodyBytes.Release(context, transferred);
        }
    }

    // Access-log filters (issue 6): source.principal / destination.principal, empty when not proven.
    private static string? ProvenPrincipal(PeerLabels peer) => peer.Principal != PeerLabels.UnknownValue ? peer.Principal : null;

    // Access logs (issue 6): the SPIFFE principal when proven, else workload.namespace, else nothing.
    private static string? Identity(PeerLabels peer) =>
        peer.Principal != PeerLabels.UnknownValue ? peer.Principal
        : peer.Workload != PeerLabels.UnknownValue ? $"{peer.Workload}.{peer.Namespace}"
        : null;

    private static int GrpcStatus(HttpContext context)
    {
        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        var value = trailers is not null && trailers.TryGetValue("grpc-status", out var t) ? t
            : context.Response.Headers.TryGetValue("grpc-status", out var h) ? h : default;
        return value.Count == 1 && int.TryParse(value[0], NumberStyles.None, CultureInfo.InvariantCulture, out var status) ? status : -1;
    }

    /// <summary>This workload, with its SPIFFE id as principal once it has a certificate.</summary>
    private PeerLabels LocalWithPrincipal()
    {
        if (_certificates?.Current is not { } certificate)
        {
            return _local;
        }

        var cached = Volatile.Read(ref _localPrincipal);
        if (cached is not null && ReferenceEquals(cached.SpiffeId, certificate.SpiffeId))
        {
            return cached.Labels;
        }

        var created = new Principal(certificate.SpiffeId, Intern(_local with { Principal = certificate.SpiffeId }));
        Volatile.Write(ref _localPrincipal, created);
        return created.Labels;
    }

    /// <summary>
    /// The caller proven by <paramref name="peer"/>'s certificate, named further by its <see cref="PeerMetadata"/>
    /// header when that agrees with the certificate's namespace (metadata exchange; a plaintext caller never gets here).
    /// </summary>
    private PeerLabels PeerOf(PeerIdentity peer, IHeaderDictionary headers)
    {
        var verified = _peers.TryGetValue(peer, out var known) ? known
            : _peers.GetValue(peer, p => new VerifiedPeer(Intern(PeerLabels.Unknown with { Namespace = p.Namespace, Principal = p.SpiffeId })));
        if (!headers.TryGetValue(PeerMetadata.HeaderName, out var values) || values.Count != 1 || values[0] is not { } header)
        {
            return verified.Certified;
        }

        // A peer sends one value for its lifetime: the last one is kept per peer, so a request costs a string compare.
        var last = Volatile.Read(ref verified.Last);
        if (last is not null && string.Equals(last.Header, header, StringComparison.Ordinal))
        {
            return last.Labels;
        }

        var labels = _peerMetadata.Lookup(header) is { } metadata && string.Equals(metadata.Namespace, peer.Namespace, StringComparison.Ordinal)
            ? Intern(new PeerLabels(
                metadata.Workload, peer.Namespace, peer.SpiffeId, metadata.App, metadata.Version,
                PeerLabels.UnknownValue, PeerLabels.UnknownValue, PeerLabels.UnknownValue, metadata.Cluster))
            : verified.Certified;
        Volatile.Write(ref verified.Last, new MetadataLabels(header, labels));
        return labels;
    }

    private UpstreamNote CreateNote(ProxyState state, Cluster cluster, MeshEndpoint? endpoint, bool mtls)
    {
        var host = cluster.Key.Host;
        var service = state.Snapshot.Services.FirstOrDefault(s => string.Equals(s.Host, host, StringComparison.OrdinalIgnoreCase));
        var ns = service?.Namespace ?? PeerLabels.UnknownValue;
        var labels = new PeerLabels(
            service?.Name ?? PeerLabels.UnknownValue, ns, PeerLabels.UnknownValue,
            endpoint is null ? PeerLabels.UnknownValue : PeerLabels.Label(endpoint.Labels, "app"),
            endpoint is null ? PeerLabels.UnknownValue : PeerLabels.Label(endpoint.Labels, "version"),
            host, service?.Name ?? host, ns, service is null ? PeerLabels.UnknownValue : PeerLabels.LocalCluster);
        if (endpoint is not null && service is not null && MeshMtls(cluster, endpoint, mtls) && TrustDomain() is { } trustDomain)
        {
            labels = labels with { Principal = $"spiffe://{trustDomain}/ns/{ns}/sa/{endpoint.ServiceAccount}" };
        }

        return new UpstreamNote(cluster, mtls, Intern(labels), endpoint is null ? null : $"{endpoint.Address}:{endpoint.Port}");
    }

    // The same decision as TlsOrigination: ISTIO_MUTUAL, or auto mTLS towards a sidecar that accepts it.
    private static bool MeshMtls(Cluster cluster, MeshEndpoint endpoint, bool hasCertificate) =>
        hasCertificate && cluster.Policy?.Tls?.Mode switch
        {
            ClientTlsMode.IstioMutual => true,
            null => endpoint.ProxyId.Length > 0 && !endpoint.MtlsDisabled,
            _ => false,
        };

    private string? TrustDomain() => _certificates?.TrustDomains is [var first, ..] ? first : null;

    private PeerLabels Intern(PeerLabels labels) => _interned.GetOrAdd(labels, labels);

    private static UpstreamNote Remember<TKey>(ConditionalWeakTable<TKey, UpstreamNote> table, TKey key, UpstreamNote note)
        where TKey : class
    {
        table.AddOrUpdate(key, note);
        return note;
    }

    /// <summary>The destination of one outbound request, set as a request feature by <see cref="NoteUpstream"/>.</summary>
    private sealed class UpstreamNote(Cluster cluster, bool mtls, PeerLabels labels, string? host)
    {
        public PeerLabels Labels { get; } = labels;

        public ClusterKey Cluster => cluster.Key;

        /// <summary>The picked endpoint as <c>address:port</c> (for access logs); null when none was.</summary>
        public string? Host { get; } = host;

        public bool Matches(Cluster current, bool currentMtls) => ReferenceEquals(cluster, current) && mtls == currentMtls;
    }

    private sealed record Principal(string SpiffeId, PeerLabels Labels);

    /// <summary>A verified mTLS peer: its certificate's labels, and those of the last metadata header it sent.</summary>
    private sealed class VerifiedPeer(PeerLabels certified)
    {
        public PeerLabels Certified { get; } = certified;

        public MetadataLabels? Last;
    }

    private sealed record MetadataLabels(string Header, PeerLabels Labels);
}

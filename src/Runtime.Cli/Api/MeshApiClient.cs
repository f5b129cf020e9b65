using Google.Protobuf;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using Runtime.Grpc;
using Runtime.Grpc.Client;
using Runtime.Cli.Manifests;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>
/// The control plane's management API as meshctl uses it. Wire messages are mapped to domain types here and
/// gRPC failures become <see cref="CliException"/>s worded for a person at a terminal.
/// </summary>
internal sealed partial class MeshApiClient : IDisposable
{
    private const string ConfigService = "/runtime.mesh.v1.ConfigService/";
    private const string ServerInfoService = "/runtime.mesh.v1.ServerInfoService/";
    private const string DiscoveryService = "/runtime.mesh.v1.DiscoveryService/";
    private const int MaxMessageBytes = 64 * 1024 * 1024;

    private readonly GrpcClient _client;
    private readonly Uri _server;
    private readonly GrpcCallOptions _options;

    public MeshApiClient(Uri server, TimeSpan timeout)
    {
        _server = server;
        // Listing thousands of resources is one message; gRPC's 4 MiB default would refuse it.
        _client = new GrpcClient(server) { MaxReceiveMessageSize = MaxMessageBytes };
        _options = new GrpcCallOptions { Timeout = timeout > TimeSpan.Zero ? timeout : null };
    }

    public async Task<ApplyReply> ApplyAsync(IReadOnlyList<ManifestText> manifests, string? defaultNamespace, bool dryRun, CancellationToken cancellationToken)
    {
        var request = new V1.ApplyRequest { DryRun = dryRun, DefaultNamespace = defaultNamespace ?? "" };
        request.Manifests.AddRange(manifests.Select(m => new V1.Manifest { Source = m.Source, Content = m.Content }));
        var reply = await CallAsync("Apply", request, V1.ApplyResponse.Parser, cancellationToken).ConfigureAwait(false);
        return new ApplyReply(
            [.. reply.Results.Select(r => new AppliedResource(ResourceMessages.FromMessage(r.Resource), ToOutcome(r.Outcome)))],
            [.. reply.Warnings.Select(ResourceMessages.FromMessage)]);
    }

    public async Task<MeshResource> GetAsync(string kind, string @namespace, string name, CancellationToken cancellationToken)
    {
        var request = new V1.GetRequest { Kind = kind, Namespace = @namespace, Name = name };
        var reply = await CallAsync("Get", request, V1.Resource.Parser, cancellationToken).ConfigureAwait(false);
        return ResourceMessages.FromMessage(reply);
    }

    public async Task<ListedResources> ListAsync(string? kind, string @namespace, bool allNamespaces, string? labelSelector, CancellationToken cancellationToken)
    {
        var request = new V1.ListRequest { Kind = kind ?? "", Namespace = @namespace, AllNamespaces = allNamespaces, LabelSelector = labelSelector ?? "" };
        var reply = await CallAsync("List", request, V1.ListResponse.Parser, cancellationToken).ConfigureAwait(false);
        return new ListedResources([.. reply.Resources.Select(r => ResourceMessages.FromMessage(r))], reply.Revision);
    }

    public async Task<MeshResource> DeleteAsync(ResourceKey key, CancellationToken cancellationToken)
    {
        var request = new V1.DeleteRequest { Kind = key.Kind, Namespace = key.Namespace, Name = key.Name };
        var reply = await CallAsync("Delete", request, V1.DeleteResponse.Parser, cancellationToken).ConfigureAwait(false);
        return ResourceMessages.FromMessage(reply.Resource);
    }

    /// <summary>Every change after <paramref name="sinceRevision"/>, so nothing between a list and its watch is lost.</summary>
    public async IAsyncEnumerable<WatchedChange> WatchAsync(string? kind, string? @namespace, long sinceRevision, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var request = new V1.WatchRequest { Kind = kind ?? "", Namespace = @namespace ?? "", SinceRevision = sinceRevision };
        // A watch runs until the user stops it: no deadline.
        var stream = _client.ServerStreamingAsync(ConfigService + "Watch", request, V1.WatchEvent.Parser, options: null, cancellationToken);
        await using var events = stream.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            V1.WatchEvent current;
            try
            {
                if (!await events.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }

                current = events.Current;
            }
            catch (GrpcException ex)
            {
                throw Translate(ex);
            }

            yield return new WatchedChange(current.Type, current.Resource is null ? null : ResourceMessages.FromMessage(current.Resource), current.Revision);
        }
    }

    public async Task<V1.GetVersionResponse> GetVersionAsync(CancellationToken cancellationToken) =>
        await CallAsync(ServerInfoService, "GetVersion", new V1.GetVersionRequest(), V1.GetVersionResponse.Parser, cancellationToken).ConfigureAwait(false);

    /// <summary>Every registered proxy with its sync state.</summary>
    public async Task<IReadOnlyList<ProxyStatusRow>> ListProxiesAsync(CancellationToken cancellationToken)
    {
        var reply = await CallAsync(DiscoveryService, "ListProxies", new V1.ListProxiesRequest(), V1.ListProxiesResponse.Parser, cancellationToken).ConfigureAwait(false);
        return [.. reply.Proxies.Select(p => new ProxyStatusRow(
            p.ProxyId,
            p.Identity?.Instance ?? "",
            p.Identity?.Service ?? "",
            p.Identity?.Namespace ?? "",
            p.Identity is { } identity ? $"{identity.Address}:{identity.InboundPort}" : "",
            p.State switch
            {
                V1.SyncState.Synced => "SYNCED",
                V1.SyncState.Nacked => "NACKED",
                V1.SyncState.Disconnected => "DISCONNECTED",
                _ => "STALE",
            },
            p.AckedVersion,
            p.LatestVersion,
            p.NackError,
            p.LastHeartbeat?.ToDateTimeOffset(),
            p.ProxyVersion,
            ReportedCertificate.From(p.Certificate)))];
    }

    /// <summary>For each resource: proxies that ACKed it at its current version / proxies that should hold it.</summary>
    public async Task<IReadOnlyList<AppliedCount>> AppliedAsync(IReadOnlyList<ResourceKey> keys, CancellationToken cancellationToken)
    {
        var request = new V1.ListProxiesRequest();
        request.AppliedResources.AddRange(keys.Select(ResourceMessages.ToMessage));
        var reply = await CallAsync(DiscoveryService, "ListProxies", request, V1.ListProxiesResponse.Parser, cancellationToken).ConfigureAwait(false);
        return [.. reply.Applied.Select(a => new AppliedCount(new ResourceKey(a.Resource.Kind, a.Resource.Namespace, a.Resource.Name), a.Applied, a.Proxies))];
    }

    /// <summary>The snapshot last pushed to a proxy, named by proxy id, instance, or <c>service.namespace</c>.</summary>
    public async Task<ProxySnapshot> GetProxySnapshotAsync(string proxy, CancellationToken cancellationToken)
    {
        var reply = await CallAsync(DiscoveryService, "GetProxySnapshot", new V1.GetProxySnapshotRequest { Proxy = proxy }, V1.ProxySnapshot.Parser, cancellationToken).ConfigureAwait(false);
        return DiscoveryMessages.FromMessage(reply);
    }

    /// <summary>
    /// The outlier-detection state the proxies report, aggregated per endpoint; <paramref name="host"/> narrows it to
    /// one service host. A control plane too old to offer it has nothing to report: the answer is then empty.
    /// </summary>
    public async Task<MeshOutlierHealth> ListEndpointHealthAsync(string? host, CancellationToken cancellationToken)
    {
        var request = new V1.ListEndpointHealthRequest { Host = host ?? "" };
        try
        {
            var reply = await _client.UnaryAsync(DiscoveryService + "ListEndpointHealth", request, V1.ListEndpointHealthResponse.Parser, _options, cancellationToken).ConfigureAwait(false);
            return DiscoveryMessages.FromMessage(reply);
        }
        catch (GrpcException ex) when (ex.Status == GrpcStatusCode.Unimplemented)
        {
            return MeshOutlierHealth.Empty;
        }
        catch (GrpcException ex)
        {
            throw Translate(ex);
        }
    }

    public void Dispose() => _client.Dispose();

    private Task<TResponse> CallAsync<TRequest, TResponse>(string method, TRequest request, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse> =>
        CallAsync(ConfigService, method, request, parser, cancellationToken);

    private async Task<TResponse> CallAsync<TRequest, TResponse>(string service, string method, TRequest request, MessageParser<TResponse> parser, CancellationToken cancellationToken)
        where TRequest : IMessage
        where TResponse : IMessage<TResponse>
    {
        try
        {
            return await _client.UnaryAsync(service + method, request, parser, _options, cancellationToken).ConfigureAwait(false);
        }
        catch (GrpcException ex)
        {
            throw Translate(ex);
        }
    }

    private CliException Translate(GrpcException ex)
    {
        switch (ex.Status)
        {
            case GrpcStatusCode.InvalidArgument:
                var issues = ex.Details.Select(d => d.TryUnpack<V1.ValidationIssue>(out var issue) ? ResourceMessages.FromMessage(issue) : null)
                    .OfType<ValidationIssue>().ToList();
                return issues.Count == 0
                    ? new CliException(ex.Message)
                    : new CliException(ex.Message, [.. issues.Select(i => "error: " + i)]);
            case GrpcStatusCode.NotFound:
                return new CliException($"Error from server (NotFound): {ex.Message}");
            case GrpcStatusCode.Aborted:
                return new CliException($"Error from server (Conflict): {ex.Message}");
            case GrpcStatusCode.Unavailable:
                var reason = ex.Message.StartsWith("cannot reach", StringComparison.Ordinal) ? ex.Message : $"the control plane at {_server} is unavailable: {ex.Message}";
                return new CliException($"{reason} (is it running? set --server or {GlobalOptions.ServerVariable} to its gRPC address)");
            case GrpcStatusCode.DeadlineExceeded:
                return new CliException($"the control plane at {_server} did not answer in time ({ex.Message}); retry, or raise --request-timeout");
            case GrpcStatusCode.Unimplemented:
                return new CliException($"the server at {_server} does not offer this call ({ex.Message}); is it a mesh control plane of a matching version?");
            default:
                return new CliException($"Error from server ({ex.Status}): {ex.Message}");
        }
    }

    private static ApplyOutcome ToOutcome(V1.ApplyOutcome outcome) => outcome switch
    {
        V1.ApplyOutcome.Created => ApplyOutcome.Created,
        V1.ApplyOutcome.Unchanged => ApplyOutcome.Unchanged,
        _ => ApplyOutcome.Configured,
    };
}

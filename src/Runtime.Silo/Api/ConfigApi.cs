using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Runtime.Abstractions.Api;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Selection;
using Runtime.Abstractions.Validation;
using Runtime.Grpc;
using Runtime.Grpc.Server;
using Runtime.Silo.Metrics;
using Runtime.Silo.Store;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Api;

/// <summary>
/// <c>runtime.mesh.v1.ConfigService</c>: the edge between wire messages and the store. Requests are mapped to
/// domain types here, validated with the same reader meshctl uses offline, and store failures become gRPC
/// statuses (conflicts ABORTED, missing resources NOT_FOUND, invalid input INVALID_ARGUMENT with every error).
/// </summary>
internal sealed partial class ConfigApi(IConfigStore store, SiloMetrics metrics, ILogger<ConfigApi> logger)
{
    public static ServiceDescriptor Descriptor { get; } = V1.ConfigReflection.Descriptor.Services.Single(s => s.Name == "ConfigService");

    public GrpcServiceDefinition Build() => GrpcServiceDefinition.For(Descriptor)
        .Unary<V1.ApplyRequest, V1.ApplyResponse>("Apply", ApplyAsync)
        .Unary<V1.GetRequest, V1.Resource>("Get", GetAsync)
        .Unary<V1.ListRequest, V1.ListResponse>("List", ListAsync)
        .Unary<V1.DeleteRequest, V1.DeleteResponse>("Delete", DeleteAsync)
        .Unary<V1.ValidateRequest, V1.ValidateResponse>("Validate", ValidateAsync)
        .ServerStreaming<V1.WatchRequest, V1.WatchEvent>("Watch", WatchAsync)
        .Build();

    private async Task<V1.ApplyResponse> ApplyAsync(V1.ApplyRequest request, GrpcCallContext context)
    {
        var (resources, issues) = Read(request.Manifests, request.Resources, request.DefaultNamespace);
        var errors = issues.Where(i => i.Severity == IssueSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            LogApplyRejected(logger, errors.Count);
            RecordRejections(errors);
            throw ApiErrors.Invalid(errors);
        }

        if (resources.Count == 0)
        {
            throw ApiErrors.Invalid("no mesh resources in the request: give at least one VirtualService, DestinationRule, ... document");
        }

        ApplyResult result;
        try
        {
            result = await store.ApplyAsync(resources, request.DryRun, context.CancellationToken).ConfigureAwait(false);
        }
        catch (ResourceConflictException ex)
        {
            throw new GrpcException(GrpcStatusCode.Aborted, ex.Message);
        }

        var response = new V1.ApplyResponse { Revision = result.Revision };
        response.Warnings.AddRange(issues.Where(i => i.Severity == IssueSeverity.Warning).Select(ResourceMessages.ToMessage));
        response.Results.AddRange(result.Results.Select(item => new V1.ApplyResult
        {
            Resource = ResourceMessages.ToMessage(item.Resource),
            Outcome = item.Outcome switch
            {
                ApplyOutcome.Created => V1.ApplyOutcome.Created,
                ApplyOutcome.Unchanged => V1.ApplyOutcome.Unchanged,
                _ => V1.ApplyOutcome.Configured,
            },
        }));
        return response;
    }

    private async Task<V1.Resource> GetAsync(V1.GetRequest request, GrpcCallContext context)
    {
        ApiErrors.RequireName(request.Name);
        var kind = ApiErrors.ResolveKind(request.Kind);
        var key = new ResourceKey(kind.Kind, NamespaceOrDefault(request.Namespace), request.Name);
        var resource = await store.GetAsync(key, context.CancellationToken).ConfigureAwait(false);
        return resource is null ? throw ApiErrors.NotFound(kind, key) : ResourceMessages.ToMessage(resource);
    }

    private async Task<V1.ListResponse> ListAsync(V1.ListRequest request, GrpcCallContext context)
    {
        var kind = request.Kind.Length == 0 ? null : ApiErrors.ResolveKind(request.Kind).Kind;
        LabelSelector? selector = null;
        if (request.LabelSelector.Length > 0 && !LabelSelector.TryParse(request.LabelSelector, out selector, out var error))
        {
            throw ApiErrors.Invalid($"label selector \"{request.LabelSelector}\": {error}");
        }

        var ns = request.AllNamespaces ? null : NamespaceOrDefault(request.Namespace);
        var list = await store.ListAsync(kind, ns, selector, context.CancellationToken).ConfigureAwait(false);
        var response = new V1.ListResponse { Revision = list.Revision };
        response.Resources.AddRange(list.Resources.Select(ResourceMessages.ToMessage));
        return response;
    }

    private async Task<V1.DeleteResponse> DeleteAsync(V1.DeleteRequest request, GrpcCallContext context)
    {
        ApiErrors.RequireName(request.Name);
        ApiErrors.RequireRevision("resource_version", request.ResourceVersion);
        var kind = ApiErrors.ResolveKind(request.Kind);
        var key = new ResourceKey(kind.Kind, NamespaceOrDefault(request.Namespace), request.Name);
        try
        {
            var deleted = await store.DeleteAsync(key, request.ResourceVersion, context.CancellationToken).ConfigureAwait(false);
            return deleted is null
                ? throw ApiErrors.NotFound(kind, key)
                : new V1.DeleteResponse { Resource = ResourceMessages.ToMessage(deleted.Resource), Revision = deleted.Revision };
        }
        catch (ResourceConflictException ex)
        {
            throw new GrpcException(GrpcStatusCode.Aborted, ex.Message);
        }
    }

    private Task<V1.ValidateResponse> ValidateAsync(V1.ValidateRequest request, GrpcCallContext context)
    {
        var (resources, issues) = Read(request.Manifests, request.Resources, defaultNamespace: "");
        var response = new V1.ValidateResponse { Valid = issues.All(i => i.Severity != IssueSeverity.Error) };
        response.Issues.AddRange(issues.Select(ResourceMessages.ToMessage));
        response.Resources.AddRange(resources.Select(r => ResourceMessages.ToMessage(r.Key)));
        return Task.FromResult(response);
    }

    private async Task WatchAsync(V1.WatchRequest request, IGrpcStreamWriter<V1.WatchEvent> writer, GrpcCallContext context)
    {
        ApiErrors.RequireRevision("since_revision", request.SinceRevision);
        var kind = request.Kind.Length == 0 ? null : ApiErrors.ResolveKind(request.Kind).Kind;
        var ns = request.Namespace.Length == 0 ? null : request.Namespace;
        try
        {
            await foreach (var change in store.WatchAsync(kind, ns, request.SinceRevision, context.CancellationToken).ConfigureAwait(false))
            {
                var message = new V1.WatchEvent
                {
                    Revision = change.Revision,
                    Type = change.Type switch
                    {
                        ConfigChangeType.Added => V1.WatchEventType.Added,
                        ConfigChangeType.Modified => V1.WatchEventType.Modified,
                        ConfigChangeType.Deleted => V1.WatchEventType.Deleted,
                        _ => V1.WatchEventType.Bookmark,
                    },
                    Resource = change.Resource is null ? null : ResourceMessages.ToMessage(change.Resource),
                };
                await writer.WriteAsync(message, context.CancellationToken).ConfigureAwait(false);
            }
        }
        catch (RevisionCompactedException ex)
        {
            throw new GrpcException(GrpcStatusCode.OutOfRange, ex.Message);
        }
        catch (WatchOverflowException ex)
        {
            throw new GrpcException(GrpcStatusCode.ResourceExhausted, ex.Message);
        }
    }

    /// <summary>Reads manifests and structured resources into one batch, collecting every issue of both.</summary>
    private static (List<MeshResource> Resources, List<ValidationIssue> Issues) Read(
        IEnumerable<V1.Manifest> manifests, IEnumerable<V1.Resource> structured, string defaultNamespace)
    {
        var resources = new List<MeshResource>();
        var issues = new List<ValidationIssue>();
        var ns = string.IsNullOrEmpty(defaultNamespace) ? null : defaultNamespace;
        foreach (var manifest in manifests)
        {
            var source = manifest.Source.Length > 0 ? manifest.Source : "manifest";
            var result = ManifestReader.Read(manifest.Content, source, ns);
            resources.AddRange(result.Resources);
            issues.AddRange(result.Issues);
        }

        foreach (var message in structured)
        {
            var resource = ResourceMessages.FromMessage(message, ns);
            issues.AddRange(ManifestReader.Validate(resource));
            if (resource.Metadata.ResourceVersion < 0)
            {
                issues.Add(new ValidationIssue
                {
                    Kind = resource.Kind,
                    Namespace = resource.Metadata.Namespace,
                    Name = resource.Metadata.Name,
                    Path = "metadata.resourceVersion",
                    Message = $"resourceVersion {resource.Metadata.ResourceVersion} is negative",
                    Fix = "send the resourceVersion last read, or 0 to apply unconditionally",
                });
            }

            resources.Add(resource);
        }

        return (LastDefinitionWins(resources, issues), issues);
    }

    /// <summary>
    /// kubectl applies a file that defines one resource twice in order, so the later document wins; a batch
    /// does the same in its one transaction, and says so in a warning.
    /// </summary>
    private static List<MeshResource> LastDefinitionWins(List<MeshResource> resources, List<ValidationIssue> issues)
    {
        var last = new Dictionary<ResourceKey, int>();
        for (var i = 0; i < resources.Count; i++)
        {
            last[resources[i].Key] = i;
        }

        if (last.Count == resources.Count)
        {
            return resources;
        }

        foreach (var group in resources.GroupBy(r => r.Key).Where(g => g.Count() > 1))
        {
            issues.Add(new ValidationIssue
            {
                Severity = IssueSeverity.Warning,
                Kind = group.Key.Kind,
                Namespace = group.Key.Namespace,
                Name = group.Key.Name,
                Message = $"defined {group.Count()} times in this request; the last definition is applied",
            });
        }

        return [.. resources.Where((r, i) => last[r.Key] == i)];
    }

    /// <summary>Counts each resource with errors once; errors outside any resource count once per source document.</summary>
    private void RecordRejections(List<ValidationIssue> errors)
    {
        foreach (var rejected in errors.DistinctBy(e => (e.Kind, e.Namespace, e.Name, e.Kind is null ? e.Source : null, e.Kind is null ? e.Document : null)))
        {
            metrics.RecordValidationRejected(rejected.Kind);
        }
    }

    private static string NamespaceOrDefault(string ns) => ns.Length == 0 ? "default" : ns;

    [LoggerMessage(Level = LogLevel.Information, Message = "Apply rejected: {ErrorCount} validation errors")]
    private static partial void LogApplyRejected(ILogger logger, int errorCount);
}

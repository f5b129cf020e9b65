using Google.Protobuf.WellKnownTypes;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Abstractions.Api;

/// <summary>
/// Maps between the domain types and the generated <c>runtime.mesh.v1</c> messages. Generated types stay at
/// the API edge: everything behind it works with <see cref="MeshResource"/> and <see cref="ValidationIssue"/>.
/// </summary>
public static class ResourceMessages
{
    /// <summary>Converts a domain resource to its wire message.</summary>
    public static V1.Resource ToMessage(MeshResource resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        var meta = resource.Metadata;
        var message = new V1.ObjectMeta
        {
            Name = meta.Name,
            Namespace = meta.Namespace,
            ResourceVersion = meta.ResourceVersion,
            Generation = meta.Generation,
            Uid = meta.Uid ?? "",
            CreationTimestamp = meta.CreationTimestamp is { } created ? Timestamp.FromDateTimeOffset(created) : null,
            UpdateTimestamp = meta.UpdateTimestamp is { } updated ? Timestamp.FromDateTimeOffset(updated) : null,
        };
        foreach (var (key, value) in meta.Labels)
        {
            message.Labels[key] = value;
        }

        foreach (var (key, value) in meta.Annotations)
        {
            message.Annotations[key] = value;
        }

        return new V1.Resource
        {
            ApiVersion = resource.ApiVersion,
            Kind = resource.Kind,
            Metadata = message,
            Spec = StructConverter.ToStruct(resource.Spec),
        };
    }

    /// <summary>
    /// Converts a wire message to a domain resource. Missing parts become empty values; validation of the
    /// result reports them, so this never throws on user input.
    /// </summary>
    public static MeshResource FromMessage(V1.Resource message, string? defaultNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        var meta = message.Metadata ?? new V1.ObjectMeta();
        var ns = meta.Namespace.Length > 0 ? meta.Namespace : string.IsNullOrEmpty(defaultNamespace) ? "default" : defaultNamespace;
        return new MeshResource
        {
            ApiVersion = message.ApiVersion,
            Kind = message.Kind,
            Metadata = new ObjectMeta
            {
                Name = meta.Name,
                Namespace = ns,
                Labels = new Dictionary<string, string>(meta.Labels, StringComparer.Ordinal),
                Annotations = new Dictionary<string, string>(meta.Annotations, StringComparer.Ordinal),
                ResourceVersion = meta.ResourceVersion,
                Generation = meta.Generation,
                Uid = meta.Uid.Length > 0 ? meta.Uid : null,
                CreationTimestamp = ToDateTimeOffset(meta.CreationTimestamp),
                UpdateTimestamp = ToDateTimeOffset(meta.UpdateTimestamp),
            },
            Spec = StructConverter.ToJson(message.Spec),
        };
    }

    /// <summary>Converts a domain key to its wire reference.</summary>
    public static V1.ResourceRef ToMessage(ResourceKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new V1.ResourceRef { Kind = key.Kind, Namespace = key.Namespace, Name = key.Name };
    }

    /// <summary>Converts a validation finding to its wire message.</summary>
    public static V1.ValidationIssue ToMessage(ValidationIssue issue)
    {
        ArgumentNullException.ThrowIfNull(issue);
        return new V1.ValidationIssue
        {
            Severity = issue.Severity == IssueSeverity.Warning ? V1.Severity.Warning : V1.Severity.Error,
            Resource = new V1.ResourceRef { Kind = issue.Kind ?? "", Namespace = issue.Namespace ?? "", Name = issue.Name ?? "" },
            Path = issue.Path,
            Message = issue.Message,
            Fix = issue.Fix ?? "",
            Source = issue.Source ?? "",
            Line = issue.Line ?? 0,
            Document = issue.Document ?? -1,
        };
    }

    /// <summary>Converts a wire validation finding to the domain type.</summary>
    public static ValidationIssue FromMessage(V1.ValidationIssue message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var resource = message.Resource ?? new V1.ResourceRef();
        return new ValidationIssue
        {
            Severity = message.Severity == V1.Severity.Warning ? IssueSeverity.Warning : IssueSeverity.Error,
            Kind = NullIfEmpty(resource.Kind),
            Namespace = NullIfEmpty(resource.Namespace),
            Name = NullIfEmpty(resource.Name),
            Path = message.Path,
            Message = message.Message,
            Fix = NullIfEmpty(message.Fix),
            Source = NullIfEmpty(message.Source),
            Line = message.Line > 0 ? message.Line : null,
            Document = message.Document >= 0 ? message.Document : null,
        };
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // Timestamps are the store's bookkeeping: one a client sent out of range is dropped, never thrown on.
    private static DateTimeOffset? ToDateTimeOffset(Timestamp? timestamp) =>
        timestamp is { Seconds: >= MinTimestampSeconds and <= MaxTimestampSeconds, Nanos: >= 0 and <= 999_999_999 }
            ? timestamp.ToDateTimeOffset()
            : null;

    // 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range google.protobuf.Timestamp allows.
    private const long MinTimestampSeconds = -62_135_596_800;
    private const long MaxTimestampSeconds = 253_402_300_799;
}

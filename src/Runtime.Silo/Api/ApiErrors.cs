using Runtime.Abstractions.Api;
using Runtime.Abstractions.Resources;
using Runtime.Abstractions.Validation;
using Runtime.Grpc;

namespace Runtime.Silo.Api;

/// <summary>The management API's error statuses, worded once so every call says the same thing.</summary>
internal static class ApiErrors
{
    /// <summary>
    /// INVALID_ARGUMENT listing every error: all of them in the message (for grpcurl and friends), and each as a
    /// typed <c>runtime.mesh.v1.ValidationIssue</c> detail (for meshctl).
    /// </summary>
    public static GrpcException Invalid(IReadOnlyList<ValidationIssue> errors)
    {
        var count = errors.Count == 1 ? "1 error" : $"{errors.Count} errors";
        var message = $"{count}; nothing was applied:\n" + string.Join("\n", errors.Select(e => e.ToString()));
        return new GrpcException(GrpcStatusCode.InvalidArgument, message, errors.Select(ResourceMessages.ToMessage));
    }

    public static GrpcException Invalid(string message) => new(GrpcStatusCode.InvalidArgument, message);

    public static GrpcException NotFound(MeshKind kind, ResourceKey key) =>
        new(GrpcStatusCode.NotFound, $"{kind.Plural}.{kind.Group} \"{key.Name}\" not found in namespace \"{key.Namespace}\"");

    public static GrpcException UnknownKind(string text)
    {
        var known = string.Join(", ", MeshKinds.All.Select(k => k.Kind));
        return new GrpcException(GrpcStatusCode.InvalidArgument, $"unknown resource kind \"{text}\"; known kinds: {known}");
    }

    public static void RequireName(string name)
    {
        if (name.Length == 0)
        {
            throw Invalid("name is required");
        }
    }

    public static void RequireRevision(string field, long revision)
    {
        if (revision < 0)
        {
            throw Invalid($"{field} {revision} is negative; use 0 or a revision the server returned");
        }
    }

    public static MeshKind ResolveKind(string text) =>
        MeshKinds.TryResolve(text, out var kind) ? kind : throw UnknownKind(text);
}

using Runtime.Abstractions.Resources;

namespace Runtime.Silo.Store;

/// <summary>
/// An optimistic-concurrency conflict: the resourceVersion sent does not match the stored one.
/// Nothing was written. Maps to gRPC <c>ABORTED</c>.
/// </summary>
public sealed class ResourceConflictException : Exception
{
    /// <summary>Creates a conflict for <paramref name="key"/>.</summary>
    /// <param name="key">The resource concerned.</param>
    /// <param name="expectedResourceVersion">The resourceVersion the caller sent.</param>
    /// <param name="currentResourceVersion">The stored resourceVersion, or <see langword="null"/> when the resource does not exist.</param>
    /// <param name="operation">The verb to repeat in the advice, for example <c>apply</c>.</param>
    public ResourceConflictException(ResourceKey key, long expectedResourceVersion, long? currentResourceVersion, string operation)
        : base(Describe(key, expectedResourceVersion, currentResourceVersion, operation))
    {
        Key = key;
        ExpectedResourceVersion = expectedResourceVersion;
        CurrentResourceVersion = currentResourceVersion;
    }

    /// <summary>The resource concerned.</summary>
    public ResourceKey Key { get; }

    /// <summary>The resourceVersion the caller sent.</summary>
    public long ExpectedResourceVersion { get; }

    /// <summary>The stored resourceVersion, or <see langword="null"/> when the resource does not exist.</summary>
    public long? CurrentResourceVersion { get; }

    private static string Describe(ResourceKey key, long expected, long? current, string operation)
    {
        ArgumentNullException.ThrowIfNull(key);
        var who = $"{key.Kind} {key.Namespace}/{key.Name}";
        return current is long c
            ? $"{who}: resourceVersion {expected} is stale (current {c}); get the latest and {operation} again"
            : $"{who}: resourceVersion {expected} was given but the resource does not exist; get the latest and {operation} again, or send resourceVersion 0 to create it";
    }
}

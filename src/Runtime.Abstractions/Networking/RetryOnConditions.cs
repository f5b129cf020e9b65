using System.Collections.Frozen;
using System.Globalization;

namespace Runtime.Abstractions.Networking;

/// <summary>The words <see cref="HttpRetry.RetryOn"/> accepts: Envoy's HTTP and gRPC retry conditions, or an HTTP status.</summary>
public static class RetryOnConditions
{
    /// <summary>Envoy's <c>x-envoy-retry-on</c> and <c>x-envoy-retry-grpc-on</c> words, as Istio accepts them.</summary>
    public static FrozenSet<string> Words { get; } = FrozenSet.ToFrozenSet(
    [
        "5xx", "gateway-error", "reset", "reset-before-request", "connect-failure", "envoy-ratelimited", "retriable-4xx",
        "refused-stream", "retriable-status-codes", "retriable-headers", "http3-post-connect-failure",
        "cancelled", "deadline-exceeded", "internal", "resource-exhausted", "unavailable",
    ], StringComparer.Ordinal);

    /// <summary>Whether <paramref name="word"/> is a known condition or an HTTP status from 100 to 599.</summary>
    public static bool IsValid(string word) =>
        Words.Contains(word) || (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 100 and <= 599);
}

using System.Globalization;
using Runtime.Abstractions.Networking;

namespace Runtime.Sidecar.Resilience;

/// <summary>
/// A route's fault injection, compiled once at route-table build time. The delay and the abort are sampled
/// independently per request; the delay comes first, then the abort (as Envoy's fault filter).
/// </summary>
/// <remarks>
/// As in Istio, a delay or abort without <c>percentage</c> (and, for the delay, without the deprecated integer
/// <c>percent</c>) applies to no request. <c>exponentialDelay</c> and <c>http2Error</c> are not implemented by Istio
/// either; they are reported and ignored.
/// </remarks>
internal sealed class FaultPolicy
{
    private static readonly string[] GrpcNames =
    [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED",
        "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS",
        "UNAUTHENTICATED",
    ];

    private FaultPolicy(TimeSpan delay, double delayPercent, int? abortHttpStatus, int? abortGrpcStatus, double abortPercent)
    {
        Delay = delay;
        DelayPercent = delayPercent;
        AbortHttpStatus = abortHttpStatus;
        AbortGrpcStatus = abortGrpcStatus;
        AbortPercent = abortPercent;
    }

    /// <summary>The injected delay; zero when the rule has none.</summary>
    public TimeSpan Delay { get; }

    /// <summary>The share of requests delayed, 0 to 100.</summary>
    public double DelayPercent { get; }

    /// <summary>The HTTP status of the injected abort, or null.</summary>
    public int? AbortHttpStatus { get; }

    /// <summary>The gRPC status code of the injected abort (answered as a trailers-only gRPC response), or null.</summary>
    public int? AbortGrpcStatus { get; }

    /// <summary>The share of requests aborted, 0 to 100.</summary>
    public double AbortPercent { get; }

    /// <summary>Whether this request is delayed (one independent draw).</summary>
    public bool SampleDelay() => Delay > TimeSpan.Zero && Sample(DelayPercent);

    /// <summary>Whether this request is aborted (one independent draw).</summary>
    public bool SampleAbort() => (AbortHttpStatus is not null || AbortGrpcStatus is not null) && Sample(AbortPercent);

    /// <summary>
    /// Compiles <paramref name="fault"/>; null when it injects nothing. Settings with no effect are reported through
    /// <paramref name="warn"/> (field, message, fix).
    /// </summary>
    public static FaultPolicy? Compile(HttpFaultInjection? fault, Action<string, string, string>? warn = null)
    {
        if (fault is null)
        {
            return null;
        }

        var delay = TimeSpan.Zero;
        double delayPercent = 0;
        if (fault.Delay is { } d)
        {
            if (d.ExponentialDelay is not null)
            {
                warn?.Invoke("delay.exponentialDelay", "exponentialDelay is not supported (nor by Istio); it is ignored", "use fixedDelay");
            }

            delay = d.FixedDelay is { Value: var fixedDelay } && fixedDelay > TimeSpan.Zero ? fixedDelay : TimeSpan.Zero;
            // The deprecated integer percent is still honoured when percentage is absent, as in Istio.
            delayPercent = Clamp(d.Percentage?.Value ?? d.Percent ?? 0);
            if (d.Percentage is null && d.Percent is null && delay > TimeSpan.Zero)
            {
                warn?.Invoke("delay.percentage", "delay has no percentage, so no request is delayed (as in Istio)", "add percentage: { value: 100 }");
            }
        }

        int? httpStatus = null;
        int? grpcStatus = null;
        double abortPercent = 0;
        if (fault.Abort is { } a)
        {
            if (a.Http2Error is not null)
            {
                warn?.Invoke("abort.http2Error", "http2Error is not supported (nor by Istio); it is ignored", "use httpStatus or grpcStatus");
            }

            if (a.HttpStatus is int status && status is >= 200 and <= 599)
            {
                httpStatus = status;
            }
            else if (a.GrpcStatus is { } name)
            {
                grpcStatus = ParseGrpcStatus(name);
                if (grpcStatus is null)
                {
                    warn?.Invoke("abort.grpcStatus", $"grpcStatus '{name}' is not a gRPC status; the abort is ignored", "use a name such as UNAVAILABLE or a code from 0 to 16");
                }
            }

            abortPercent = Clamp(a.Percentage?.Value ?? 0);
            if (a.Percentage is null && (httpStatus is not null || grpcStatus is not null))
            {
                warn?.Invoke("abort.percentage", "abort has no percentage, so no request is aborted (as in Istio)", "add percentage: { value: 100 }");
            }
        }

        return delay == TimeSpan.Zero && httpStatus is null && grpcStatus is null
            ? null
            : new FaultPolicy(delay, delayPercent, httpStatus, grpcStatus, abortPercent);
    }

    /// <summary>A gRPC status by its name (<c>UNAVAILABLE</c>) or code (<c>14</c>); null if it is neither.</summary>
    public static int? ParseGrpcStatus(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = Array.IndexOf(GrpcNames, text.Trim().ToUpperInvariant());
        if (index >= 0)
        {
            return index;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code < GrpcNames.Length ? code : null;
    }

    /// <summary>The name of a gRPC status code.</summary>
    public static string GrpcStatusName(int code) => code >= 0 && code < GrpcNames.Length ? GrpcNames[code] : code.ToString(CultureInfo.InvariantCulture);

    private static double Clamp(double percent) => double.IsNaN(percent) ? 0 : Math.Clamp(percent, 0, 100);

    private static bool Sample(double percent) => percent >= 100 || (percent > 0 && Random.Shared.NextDouble() * 100 < percent);
}

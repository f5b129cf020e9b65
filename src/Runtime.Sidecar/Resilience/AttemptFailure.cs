using System.Net.Http;
using Runtime.Sidecar.Forwarding;

namespace Runtime.Sidecar.Resilience;

/// <summary>How one try ended when it produced no response that could be relayed.</summary>
internal enum AttemptFailure
{
    /// <summary>Not a retriable kind of failure (the client went away, its body failed, the response had started).</summary>
    None,

    /// <summary>No connection could be made (Envoy's UF).</summary>
    ConnectFailure,

    /// <summary>The upstream refused the HTTP/2 stream (REFUSED_STREAM).</summary>
    RefusedStream,

    /// <summary>The connection or stream failed before a response (Envoy's UC).</summary>
    Reset,

    /// <summary>The per-try timeout elapsed before the response completed.</summary>
    PerTryTimeout,
}

/// <summary>Maps a forwarder result to an <see cref="AttemptFailure"/>.</summary>
internal static class AttemptFailures
{
    private const long RefusedStreamCode = 0x7;

    /// <summary>The failure kind of <paramref name="result"/>; a timeout counts as per-try here, the caller tells the route deadline apart.</summary>
    public static AttemptFailure Classify(ForwardResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            ForwardOutcome.ConnectFailure => AttemptFailure.ConnectFailure,
            ForwardOutcome.UpstreamTimeout => AttemptFailure.PerTryTimeout,
            // 501 is the forwarder refusing what it cannot forward (extended CONNECT): no upstream failed, nothing to retry.
            _ when IsForwarderRefusal(result) => AttemptFailure.None,
            ForwardOutcome.UpstreamReset => IsRefusedStream(result.Error) ? AttemptFailure.RefusedStream : AttemptFailure.Reset,
            _ => AttemptFailure.None,
        };
    }

    /// <summary>
    /// Whether <paramref name="result"/> is the forwarder refusing what it cannot forward (501, extended CONNECT):
    /// nothing was sent, so no endpoint failed.
    /// </summary>
    public static bool IsForwarderRefusal(ForwardResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome == ForwardOutcome.UpstreamReset && result.StatusCode == 501;
    }

    /// <summary>Words for a failure, for the one-line error body and the log.</summary>
    public static string Describe(AttemptFailure failure) => failure switch
    {
        AttemptFailure.ConnectFailure => "connect failure",
        AttemptFailure.RefusedStream => "stream refused",
        AttemptFailure.Reset => "connection reset before a response",
        AttemptFailure.PerTryTimeout => "per-try timeout",
        _ => "failure",
    };

    private static bool IsRefusedStream(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is HttpProtocolException { ErrorCode: RefusedStreamCode })
            {
                return true;
            }
        }

        return false;
    }
}

namespace Runtime.Sidecar.Routing;

/// <summary>The CORS decision for one request.</summary>
/// <param name="Outcome">Answer the preflight here, or forward.</param>
/// <param name="ResponseHeaders">CORS headers to put on the response (empty when the origin is not allowed).</param>
internal sealed record CorsVerdict(CorsOutcome Outcome, IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders)
{
    /// <summary>Not a CORS request.</summary>
    public static CorsVerdict NotCors { get; } = new(CorsOutcome.NotCors, []);

    /// <summary>Forward without CORS headers (origin not allowed, or unmatched preflight forwarded).</summary>
    public static CorsVerdict ForwardWithoutHeaders { get; } = new(CorsOutcome.Forward, []);
}

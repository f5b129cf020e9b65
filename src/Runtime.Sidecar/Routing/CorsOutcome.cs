namespace Runtime.Sidecar.Routing;

/// <summary>What the CORS policy says to do with a request.</summary>
internal enum CorsOutcome
{
    /// <summary>No <c>Origin</c> header: not a CORS request; forward untouched.</summary>
    NotCors,

    /// <summary>A preflight from an allowed origin: answer 200 here with the verdict's headers.</summary>
    AnswerPreflight,

    /// <summary>Forward upstream and add the verdict's headers (possibly none) to the response.</summary>
    Forward,
}

namespace Runtime.Silo.Ca;

/// <summary>Why the CA refused a request; maps to a gRPC status at the API edge.</summary>
internal enum CaRefusal
{
    /// <summary>The request itself is malformed (CSR unreadable, bad key, bad names): INVALID_ARGUMENT.</summary>
    InvalidRequest,

    /// <summary>The proof does not hold (bad or expired token, foreign or expired certificate): UNAUTHENTICATED.</summary>
    Unauthenticated,

    /// <summary>The proof holds but the CSR asks for another identity: PERMISSION_DENIED.</summary>
    PermissionDenied,

    /// <summary>The CA is not in a state to do this now (a root rotation step out of order or unsafe): FAILED_PRECONDITION.</summary>
    FailedPrecondition,
}

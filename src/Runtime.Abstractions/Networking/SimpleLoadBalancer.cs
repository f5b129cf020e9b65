namespace Runtime.Abstractions.Networking;

/// <summary>Standard load-balancing algorithms.</summary>
public enum SimpleLoadBalancer
{
    /// <summary><c>UNSPECIFIED</c>: The mesh default (least request).</summary>
    Unspecified,

    /// <summary><c>LEAST_CONN</c>: Deprecated name of LEAST_REQUEST.</summary>
    LeastConn,

    /// <summary><c>RANDOM</c>: A random healthy endpoint.</summary>
    Random,

    /// <summary><c>PASSTHROUGH</c>: The original destination address, without load balancing.</summary>
    Passthrough,

    /// <summary><c>ROUND_ROBIN</c>: Endpoints in turn.</summary>
    RoundRobin,

    /// <summary><c>LEAST_REQUEST</c>: The endpoint with fewer active requests of two random ones.</summary>
    LeastRequest,
}

namespace Runtime.Sidecar.Discovery;

/// <summary>The ports the sidecar's listeners actually bound (port 0 picks free ones).</summary>
internal sealed record BoundPorts(int Inbound, int Outbound, int Admin);

using System.Net;

namespace Runtime.Sidecar.Listening;

/// <summary>
/// A Kestrel endpoint that never accepts a connection of its own: it exists so Kestrel builds an HTTP/2
/// connection pipeline that <see cref="Http2Handoff"/> can capture and hand sniffed connections to.
/// </summary>
internal sealed class HandoffEndPoint(string name) : EndPoint
{
    public string Name { get; } = name;

    public override string ToString() => $"{Name} (h2c handoff)";
}

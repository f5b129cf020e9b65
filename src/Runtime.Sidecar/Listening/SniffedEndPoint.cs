using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Runtime.Sidecar.Listening;

/// <summary>
/// One protocol's half of a port that takes both HTTP/1.1 and cleartext HTTP/2: Kestrel binds two of these
/// (one <see cref="HttpProtocols.Http1"/>, one <see cref="HttpProtocols.Http2"/>) for the same socket address,
/// and <see cref="ProtocolSniffer"/> hands each accepted connection to the right one.
/// </summary>
internal sealed class SniffedEndPoint(string name, IPEndPoint address, HttpProtocols protocol) : EndPoint
{
    /// <summary>The listener this endpoint belongs to ("outbound", "inbound"); its two halves share it.</summary>
    public string Name { get; } = name;

    public IPEndPoint Address { get; } = address;

    public HttpProtocols Protocol { get; } = protocol;

    public override string ToString() => $"{Name} {Address} ({(Protocol == HttpProtocols.Http2 ? "h2c" : "http/1.1")})";
}

using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;

namespace Runtime.Sidecar.Listening;

/// <summary>
/// A Kestrel transport for <see cref="SniffedEndPoint"/>s: both halves of an address share one
/// <see cref="ProtocolSniffer"/> (one socket); every other endpoint stays with Kestrel's socket transport.
/// </summary>
internal sealed class SniffingListenerFactory(ILoggerFactory loggers) : IConnectionListenerFactory, IConnectionListenerFactorySelector, IDisposable
{
    private readonly ConcurrentDictionary<string, ProtocolSniffer> _sniffers = new(StringComparer.Ordinal);
    private readonly SocketConnectionContextFactory _connections = new(new SocketConnectionFactoryOptions(), loggers.CreateLogger<SocketConnectionContextFactory>());

    public bool CanBind(EndPoint endpoint) => endpoint is SniffedEndPoint;

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var sniffed = endpoint as SniffedEndPoint ?? throw new NotSupportedException($"{endpoint} is not a sniffed endpoint");
        var sniffer = _sniffers.GetOrAdd(sniffed.Name, _ => new ProtocolSniffer(sniffed.Address, loggers.CreateLogger<ProtocolSniffer>()));
        return ValueTask.FromResult(sniffer.Listener(sniffed, _connections));
    }

    /// <summary>The address bound for the listener <paramref name="name"/> (its real port when 0 was asked for).</summary>
    public IPEndPoint BoundAddress(string name) =>
        _sniffers.TryGetValue(name, out var sniffer) ? sniffer.BoundAddress : throw new InvalidOperationException($"listener {name} is not bound");

    public void Dispose() => _connections.Dispose();
}

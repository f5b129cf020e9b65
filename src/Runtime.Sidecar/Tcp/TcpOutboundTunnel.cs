using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Routing;
using Runtime.Sidecar.Security;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// App → mesh for TCP: a <c>CONNECT host:port</c> on the outbound listener is routed (<see cref="TcpRouter"/>), an
/// endpoint picked by the cluster's load balancer, and connected to: a sidecar endpoint through a CONNECT tunnel over
/// the same (m)TLS the HTTP path would originate (carrying the peer-metadata header), any other endpoint with plain
/// TCP (or the DestinationRule's TLS). Then <c>200 Connection established</c> and the bytes are spliced. Failures
/// answer the CONNECT with an HTTP error and <c>x-mesh-reason</c> (NC, NR, UH, UO, UF), never a hang.
/// </summary>
internal sealed partial class TcpOutboundTunnel(ProxyConfig config, TcpRouter router, TcpConnectionLimits limits, RequestMetrics metrics, ILogger<TcpOutboundTunnel> logger, TlsOrigination? tls = null)
{
    /// <summary>Istio's default <c>connectTimeout</c>.</summary>
    private static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Serves one CONNECT whose head was read from <paramref name="connection"/>.</summary>
    public async Task HandleAsync(ConnectionContext connection, TcpConnectHead head)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(head);
        // Nothing here is bound to Kestrel's ConnectionClosed: it fires on the app's FIN, and an app may send its
        // CONNECT, its bytes and its FIN at once (echo data | nc -X connect). Connecting has its timeout; writes to a
        // connection that is gone fail by themselves.
        var none = CancellationToken.None;
        var output = connection.Transport.Output;
        if (config.Current is not { } state)
        {
            await FailAsync(connection, null, null, null, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoConfig, "no configuration yet: the sidecar has not reached the control plane").ConfigureAwait(false);
            return;
        }

        if (router.Route(state, head.Host, head.Port, out var noRoute) is not { } cluster)
        {
            await FailAsync(connection, state, null, null, head, StatusCodes.Status404NotFound, MeshReasons.NoRoute, noRoute!).ConfigureAwait(false);
            return;
        }

        var view = new RequestView("CONNECT", "tcp", head.Authority, "/", "", name => head.Headers.TryGetValue(name, out var v) ? v.ToString() : null, connection.RemoteEndPoint is IPEndPoint ip ? ip.Address.ToString() : "");
        if (cluster.Balancer.Pick(view) is not { } endpoint)
        {
            await FailAsync(connection, state, cluster, null, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, cluster.NoEndpointReason()).ConfigureAwait(false);
            return;
        }

        if (!limits.TryEnter(cluster, out var limit))
        {
            LogOverflow(logger, cluster.Key, limit);
            await FailAsync(connection, state, cluster, endpoint, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.Overflow,
                $"{OutboundProxy.Describe(cluster.Key)} has {limit} TCP connections open, its connectionPool.tcp.maxConnections").ConfigureAwait(false);
            return;
        }

        var entered = true;
        var timeouts = TcpTunnelTimeouts.For(cluster.Policy?.ConnectionPool?.Tcp);
        try
        {
            var (upstream, problem) = await ConnectAsync(state, cluster, endpoint, timeouts).ConfigureAwait(false);
            if (upstream is null)
            {
                cluster.Resilience?.Record(endpoint, ForwardOutcome.ConnectFailure, 0);
                LogConnectFailed(logger, endpoint.Address, endpoint.Port, problem!);
                await FailAsync(connection, state, cluster, endpoint, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.UpstreamConnectFailure, problem!).ConfigureAwait(false);
                return;
            }

            await using (upstream.Stream.ConfigureAwait(false))
            {
                cluster.Resilience?.Record(endpoint, ForwardOutcome.Success, StatusCodes.Status200OK);
                var tally = metrics.OpenOutbound(state, cluster, endpoint, upstream.PeerReason ?? ResponseFlags.None, head.Authority);
                var closeFlags = ResponseFlags.Of(upstream.PeerReason);
                try
                {
                    if (upstream.PeerAnswer is { } answer)
                    {
                        // The peer sidecar refused the tunnel: its answer (status, reason, body) goes to the app as sent.
                        await output.WriteAsync(answer, none).ConfigureAwait(false);
                        await RelayRestAsync(upstream.Stream, connection, tally).ConfigureAwait(false);
                        return;
                    }

                    var downstream = TcpDownstream.For(connection);
                    await using var downstreamScope = downstream.ConfigureAwait(false);
                    await TcpTunnelAnswer.EstablishedAsync(downstream.Output, none).ConfigureAwait(false);
                    if (upstream.Early.Length > 0)
                    {
                        await downstream.Output.WriteAsync(upstream.Early, none).ConfigureAwait(false);
                        tally.AddSent(upstream.Early.Length);
                    }

                    var end = await TcpSplice.RunAsync(downstream, upstream.Stream, upstream.HalfClose, tally, timeouts, CancellationToken.None).ConfigureAwait(false);
                    closeFlags = TcpTunnelEnds.Report(logger, end, head.Authority, timeouts, closeFlags);
                }
                catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException or SocketException or ObjectDisposedException)
                {
                    // The app left while the answer was being written: the connection just ends.
                }
                finally
                {
                    // The slot is free before the close is counted: whoever sees the close can open another.
                    limits.Exit(cluster);
                    entered = false;
                    tally.Close(closeFlags);
                }
            }
        }
        finally
        {
            if (entered)
            {
                limits.Exit(cluster);
            }
        }
    }

    private async Task<(UpstreamConnection? Connection, string? Problem)> ConnectAsync(ProxyState state, Cluster cluster, MeshEndpoint endpoint, TcpTunnelTimeouts timeouts)
    {
        var timeout = cluster.Policy?.ConnectionPool?.Tcp?.ConnectTimeout?.Value is { } configured && configured > TimeSpan.Zero ? configured : DefaultConnectTimeout;
        using var connecting = new CancellationTokenSource(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        timeouts.Keepalive?.Apply(socket);
        Stream? stream = null;
        var where = $"{endpoint.Address}:{endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
        try
        {
            try
            {
                await socket.ConnectAsync(endpoint.Address, endpoint.Port, connecting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new IOException($"connecting to {where} took longer than the connect timeout ({timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)");
            }

            stream = new NetworkStream(socket, ownsSocket: true);

            // The TLS the HTTP path would originate: auto mTLS (secure naming included) or the DestinationRule's tls.
            var halfClose = () => { socket.Shutdown(SocketShutdown.Send); return ValueTask.CompletedTask; };
            if (tls?.For(state, cluster, endpoint)?.OptionsFor(HttpVersion.Version11) is { } options)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                await ssl.AuthenticateAsClientAsync(options, connecting.Token).ConfigureAwait(false);
                halfClose = () => new ValueTask(ssl.ShutdownAsync());
            }

            if (endpoint.ProxyId.Length == 0)
            {
                return (new UpstreamConnection(stream, halfClose, default, null, null), null);
            }

            // A sidecar: one CONNECT tunnel per connection, to the target port on the peer's workload.
            var target = $"{cluster.Key.Host}:{cluster.Key.Port.ToString(CultureInfo.InvariantCulture)}";
            var request = $"CONNECT {target} HTTP/1.1\r\nhost: {target}\r\n{PeerMetadata.HeaderName}: {metrics.LocalMetadata}\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(request), connecting.Token).ConfigureAwait(false);
            await stream.FlushAsync(connecting.Token).ConfigureAwait(false);
            var (status, reason, bytes, headLength) = await ReadAnswerAsync(stream, connecting.Token).ConfigureAwait(false);
            return status == StatusCodes.Status200OK
                ? (new UpstreamConnection(stream, halfClose, bytes.AsMemory(headLength), null, null), null)
                : (new UpstreamConnection(stream, halfClose, default, bytes, reason ?? MeshReasons.UpstreamConnectFailure), null);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or System.Security.Authentication.AuthenticationException or InvalidDataException)
        {
            if (stream is null)
            {
                socket.Dispose();
            }
            else
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            return (null, ex is OperationCanceledException
                ? $"connecting to {where} (TLS handshake and tunnel answer included) took longer than the connect timeout ({timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms)"
                : $"connecting to {where} failed: {ex.Message}");
        }
    }

    /// <summary>Reads the peer sidecar's answer head; returns its status, its mesh reason and every byte read (head and any that followed).</summary>
    private static async Task<(int Status, string? Reason, byte[] Bytes, int HeadLength)> ReadAnswerAsync(Stream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var length = 0;
        while (true)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new InvalidDataException("the peer sidecar closed the tunnel before answering its CONNECT");
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var head = Encoding.Latin1.GetString(buffer, 0, end).Split("\r\n");
                var parts = head[0].Split(' ', 3);
                if (parts.Length < 2 || !parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var status))
                {
                    throw new InvalidDataException("the peer sidecar answered its CONNECT with something that is not HTTP/1.1");
                }

                var reason = head.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2 && p[0].Trim().Equals(ForwardErrorWriter.ReasonHeader, StringComparison.OrdinalIgnoreCase)).Select(p => p[1].Trim()).FirstOrDefault();
                return (status, reason, buffer[..length], end + 4);
            }

            if (length == buffer.Length)
            {
                throw new InvalidDataException("the peer sidecar's answer to its CONNECT is longer than 4096 bytes");
            }
        }
    }

    /// <summary>After a refused tunnel: the rest of the peer's answer body, then the connection ends.</summary>
    private static async Task RelayRestAsync(Stream upstream, ConnectionContext connection, TcpConnectionTally tally)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await connection.Transport.Output.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                tally.AddSent(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task FailAsync(ConnectionContext connection, ProxyState? state, Cluster? cluster, MeshEndpoint? endpoint, TcpConnectHead head, int status, string reason, string message)
    {
        var tally = metrics.OpenOutbound(state, cluster, endpoint, reason, head.Authority);
        await TcpTunnelAnswer.RefuseAsync(connection.Transport.Output, status, reason, message, CancellationToken.None).ConfigureAwait(false);
        tally.Close();
    }

    /// <summary>An open upstream: the stream, how to half-close it, bytes already read past the answer, or the peer's refusal.</summary>
    private sealed record UpstreamConnection(Stream Stream, Func<ValueTask> HalfClose, ReadOnlyMemory<byte> Early, byte[]? PeerAnswer, string? PeerReason);

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP 503 UO {Cluster}: {Limit} connections open (connectionPool.tcp.maxConnections)")]
    private static partial void LogOverflow(ILogger logger, ClusterKey cluster, int limit);

    [LoggerMessage(Level = LogLevel.Information, Message = "TCP connect to {Address}:{Port} failed: {Problem}")]
    private static partial void LogConnectFailed(ILogger logger, string address, int port, string problem);
}

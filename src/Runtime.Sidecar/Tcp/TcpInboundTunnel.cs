using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Metrics;
using Runtime.Sidecar.Proxying;
using Runtime.Sidecar.Security;
using Runtime.Sidecar.Security.Authorization;

namespace Runtime.Sidecar.Tcp;

/// <summary>
/// Mesh → app for TCP: a <c>CONNECT</c> on the inbound listener, after PeerAuthentication (the TLS layer in front
/// already refused plaintext under STRICT), is checked against the ports the workload serves (only its app port: the
/// sidecar is no open relay), then AuthorizationPolicy with Istio's TCP semantics, then connected to the app on
/// 127.0.0.1 and spliced. A denied connection is answered 403 <c>RBAC</c> and closed.
/// </summary>
internal sealed partial class TcpInboundTunnel(ProxyConfig config, SidecarOptions options, RequestMetrics metrics, ILogger<TcpInboundTunnel> logger, IWorkloadCertificateSource? certificates = null)
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly string? _appAddress = options.AppPort is int port ? string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}") : null;

    /// <summary>Serves one CONNECT whose head was read from <paramref name="connection"/>.</summary>
    public async Task HandleAsync(ConnectionContext connection, TcpConnectHead head)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(head);
        var tls = connection.Features.Get<TlsPeerConnection>();
        if (config.Current is not { } state)
        {
            await FailAsync(connection, tls, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoConfig, "no configuration yet").ConfigureAwait(false);
            return;
        }

        if (options.AppPort is not int appPort)
        {
            await FailAsync(connection, tls, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoHealthyUpstream, $"{options.Service} has no application behind its sidecar (no --app-port)").ConfigureAwait(false);
            return;
        }

        if (head.Port != appPort)
        {
            LogPortRefused(logger, connection.RemoteEndPoint?.ToString(), head.Authority, appPort);
            await FailAsync(connection, tls, head, StatusCodes.Status404NotFound, MeshReasons.NoRoute, $"port {head.Port} is not served by {options.Service} (its app port is {appPort})").ConfigureAwait(false);
            return;
        }

        if (Authorize(state, connection, tls, appPort) is { } denied)
        {
            await FailAsync(connection, tls, head, StatusCodes.Status403Forbidden, InboundAuthorization.Reason, denied).ConfigureAwait(false);
            return;
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // Not bound to ConnectionClosed, which fires on the peer's FIN (a half-close, not an abort).
            using var connecting = new CancellationTokenSource(ConnectTimeout);
            await socket.ConnectAsync(IPAddress.Loopback, appPort, connecting.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or IOException)
        {
            socket.Dispose();
            await FailAsync(connection, tls, head, StatusCodes.Status503ServiceUnavailable, MeshReasons.UpstreamConnectFailure, $"connecting to the app at {_appAddress} failed: {ex.Message}").ConfigureAwait(false);
            return;
        }

        var app = new NetworkStream(socket, ownsSocket: true);
        await using (app.ConfigureAwait(false))
        {

            var tally = metrics.OpenInbound(tls, head.Headers, ResponseFlags.None, head.Authority, _appAddress);
            var closeFlags = ResponseFlags.None;
            try
            {
                var downstream = TcpDownstream.For(connection);
                await using var downstreamScope = downstream.ConfigureAwait(false);
                await TcpTunnelAnswer.EstablishedAsync(downstream.Output, CancellationToken.None).ConfigureAwait(false);
                var end = await TcpSplice.RunAsync(downstream, app, () =>
                {
                    socket.Shutdown(SocketShutdown.Send);
                    return ValueTask.CompletedTask;
                }, tally, TcpTunnelTimeouts.Default, CancellationToken.None).ConfigureAwait(false);
                closeFlags = TcpTunnelEnds.Report(logger, end, head.Authority, TcpTunnelTimeouts.Default, closeFlags);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException or InvalidOperationException or SocketException or ObjectDisposedException)
            {
                // The peer left while the answer was being written.
            }
            finally
            {
                tally.Close(closeFlags);
            }
        }
    }

    /// <summary>Null when allowed; else why not. Istio's TCP semantics: HTTP-only fields are not there to match.</summary>
    private string? Authorize(ProxyState state, ConnectionContext connection, TlsPeerConnection? tls, int appPort)
    {
        var evaluator = state.Authorization;
        if (evaluator.Policies.Count == 0)
        {
            return null;
        }

        if (certificates?.TrustDomains is { Count: > 0 } trustDomains)
        {
            evaluator = evaluator.ForTrustDomains(trustDomains);
        }

        var local = connection.LocalEndPoint as IPEndPoint;
        var remote = connection.RemoteEndPoint as IPEndPoint;
        var peer = tls?.Peer;
        var decision = evaluator.Evaluate(new AuthorizationRequest
        {
            Tcp = true,
            Method = "",
            Path = "",
            DestinationPort = appPort,
            DestinationIp = local?.Address,
            SourceIp = remote?.Address,
            RemoteIp = remote?.Address,
            Peer = peer is null ? null : new AuthorizationPeer(peer.TrustDomain, peer.Namespace, peer.ServiceAccount),
            Sni = tls?.ServerName,
        });
        if (decision.Allowed)
        {
            return null;
        }

        LogDenied(logger, connection.RemoteEndPoint?.ToString(), decision.Policy ?? "-", decision.Reason);
        return InboundAuthorization.DeniedBody;
    }

    private async Task FailAsync(ConnectionContext connection, TlsPeerConnection? tls, TcpConnectHead head, int status, string reason, string message)
    {
        var tally = metrics.OpenInbound(tls, head.Headers, reason, head.Authority, _appAddress);
        await TcpTunnelAnswer.RefuseAsync(connection.Transport.Output, status, reason, message, CancellationToken.None).ConfigureAwait(false);
        tally.Close();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "TCP tunnel from {Remote} to {Target} refused: the workload serves only its app port {AppPort}")]
    private static partial void LogPortRefused(ILogger logger, string? remote, string target, int appPort);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RBAC denied the TCP connection from {Remote}: policy {Policy} ({Reason})")]
    private static partial void LogDenied(ILogger logger, string? remote, string policy, string reason);
}

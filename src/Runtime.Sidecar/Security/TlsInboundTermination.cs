using System.IO.Pipelines;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Discovery;
using Runtime.Abstractions.Security;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Hosting;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The inbound port's mTLS layer, a Kestrel connection middleware placed before the HTTP/1.1-or-h2c handoff:
/// it peeks at the first byte (consuming nothing). A TLS record (0x16) under STRICT or PERMISSIVE is terminated
/// here with the workload certificate read at each handshake, a client certificate required and verified by
/// <see cref="TlsPeerVerifier"/>, and ALPN h2/http/1.1; the handoff then sniffs the decrypted bytes as usual.
/// Plaintext passes through under PERMISSIVE and DISABLE and is refused (connection closed, logged) under STRICT,
/// including on a connection accepted earlier once a push makes the port STRICT (<see cref="TlsPlaintextGuard"/>).
/// Under DISABLE no TLS is offered: a ClientHello goes to the HTTP parser, which rejects it.
/// </summary>
internal sealed partial class TlsInboundTermination(ProxyConfig config, TlsPeerVerifier verifier, SidecarOptions options, ILogger<TlsInboundTermination> logger)
{
    private const byte HandshakeRecord = 0x16;

    private static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

    private static readonly List<SslApplicationProtocol> Protocols = [SslApplicationProtocol.Http2, SslApplicationProtocol.Http11];

    // The certificate context (leaf plus chain) is built once per issued certificate, not per handshake.
    private static readonly ConditionalWeakTable<WorkloadCertificate, SslStreamCertificateContext> Contexts = [];

    private static readonly ConditionalWeakTable<ProxySnapshot, PeerAuthenticationPolicy> Resolved = [];

    /// <summary>The middleware, for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => connection => HandleAsync(connection, next);

    private async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var policy = PolicyFor(config.Current?.Snapshot);
        if (policy.Mode == MutualTlsMode.Disable)
        {
            await ServePlaintextAsync(connection, next).ConfigureAwait(false);
            return;
        }

        bool tls;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed))
        {
            timeout.CancelAfter(HandshakeTimeout);
            try
            {
                var read = await connection.Transport.Input.ReadAtLeastAsync(1, timeout.Token).ConfigureAwait(false);
                tls = read.Buffer.Length > 0 && read.Buffer.FirstSpan[0] == HandshakeRecord;
                connection.Transport.Input.AdvanceTo(read.Buffer.Start);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
            {
                connection.Abort();
                return;
            }
        }

        if (!tls)
        {
            if (policy.Mode == MutualTlsMode.Strict)
            {
                LogPlaintextRefused(logger, connection.RemoteEndPoint?.ToString(), policy.Source);
                connection.Abort(new ConnectionAbortedException("plaintext refused: mTLS is STRICT"));
                return;
            }

            await ServePlaintextAsync(connection, next).ConfigureAwait(false);
            return;
        }

        if (verifier.Source.Current is not { } certificate)
        {
            LogNoCertificate(logger, connection.RemoteEndPoint?.ToString());
            connection.Abort(new ConnectionAbortedException("no workload certificate yet"));
            return;
        }

        await TerminateAsync(connection, certificate, next).ConfigureAwait(false);
    }

    // One resolution per snapshot: recomputed when a push swaps the snapshot, read lock-free per connection.
    private PeerAuthenticationPolicy PolicyFor(ProxySnapshot? snapshot) =>
        snapshot is null
            ? PeerAuthenticationPolicy.Default
            : Resolved.GetValue(snapshot, s => PeerAuthenticationPolicy.Resolve(s.Resources, config.Identity.Namespace, config.Identity.Labels, options.AppPort));

    // Plaintext stays subject to the mode in force: bytes arriving after a push made the port STRICT close the connection.
    private async Task ServePlaintextAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var original = connection.Transport;
        connection.Transport = new TlsPlaintextGuard(original, () => PolicyFor(config.Current?.Snapshot), strict =>
        {
            LogPlaintextClosed(logger, connection.RemoteEndPoint?.ToString(), strict.Source);
            connection.Abort(new ConnectionAbortedException("plaintext refused: mTLS became STRICT"));
        });
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = original;
        }
    }

    private async Task TerminateAsync(ConnectionContext connection, WorkloadCertificate certificate, ConnectionDelegate next)
    {
        var original = connection.Transport;
        (PeerIdentity Identity, X509Certificate2 Leaf)? verified = null;
        string? refusal = null;
        var ssl = new SslStream(new TlsTransportStream(original), leaveInnerStreamOpen: false);
        await using (ssl.ConfigureAwait(false))
        {
            var server = new SslServerAuthenticationOptions
            {
                ServerCertificateContext = Contexts.GetValue(certificate, c => SslStreamCertificateContext.Create(c.Leaf, c.Chain, offline: true)),
                ClientCertificateRequired = true,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
                ApplicationProtocols = Protocols,
                RemoteCertificateValidationCallback = (_, presented, chain, errors) =>
                {
                    if (presented is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
                    {
                        refusal = "the client sent no certificate";
                        return false;
                    }

                    var leaf = presented as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
                    var sent = chain?.ChainPolicy.ExtraStore.Cast<X509Certificate2>() ?? [];
                    if (verifier.Verify(leaf, sent, out refusal) is not { } identity)
                    {
                        return false;
                    }

                    verified = (identity, leaf);
                    return true;
                },
            };

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed);
                timeout.CancelAfter(HandshakeTimeout);
                await ssl.AuthenticateAsServerAsync(server, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or ConnectionResetException)
            {
                LogHandshakeFailed(logger, connection.RemoteEndPoint?.ToString(), refusal ?? ex.Message);
                connection.Abort();
                return;
            }

            if (verified is not { } peerCertificate)
            {
                connection.Abort();
                return;
            }

            var peer = new TlsPeerConnection(peerCertificate.Identity, peerCertificate.Leaf, certificate.SpiffeId, ssl.NegotiatedApplicationProtocol, ssl.TargetHostName);
            connection.Features.Set(peer);
            connection.Features.Set(peer.Peer);
            connection.Features.Set<ITlsConnectionFeature>(peer);
            connection.Features.Set<ITlsApplicationProtocolFeature>(peer);
            var reader = PipeReader.Create(ssl, new StreamPipeReaderOptions(leaveOpen: true));
            var writer = PipeWriter.Create(ssl, new StreamPipeWriterOptions(leaveOpen: true));
            var decrypted = new DecryptedTransport(reader, writer, ssl);
            connection.Transport = decrypted;
            connection.Features.Set<ITransportHalfClose>(decrypted);
            try
            {
                await next(connection).ConfigureAwait(false);
            }
            finally
            {
                await reader.CompleteAsync().ConfigureAwait(false);
                await writer.CompleteAsync().ConfigureAwait(false);
                connection.Transport = original;
            }
        }
    }

    /// <summary>The plaintext side of an inbound mTLS connection; its sending side can be ended alone with a
    /// <c>close_notify</c> while the peer's bytes keep arriving.</summary>
    private sealed class DecryptedTransport(PipeReader input, PipeWriter output, SslStream ssl) : IDuplexPipe, ITransportHalfClose
    {
        public PipeReader Input => input;

        public PipeWriter Output => output;

        public async ValueTask ShutdownSendAsync()
        {
            // Whatever the pipe still holds goes out before the close_notify; nothing may be written afterwards.
            await output.FlushAsync().ConfigureAwait(false);
            await ssl.ShutdownAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plaintext connection from {Remote} refused: mTLS is STRICT ({Policy})")]
    private static partial void LogPlaintextRefused(ILogger logger, string? remote, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Plaintext connection from {Remote} closed: mTLS became STRICT ({Policy})")]
    private static partial void LogPlaintextClosed(ILogger logger, string? remote, string policy);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS connection from {Remote} refused: this sidecar has no workload certificate yet")]
    private static partial void LogNoCertificate(ILogger logger, string? remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "mTLS handshake with {Remote} failed: {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string? remote, string reason);
}

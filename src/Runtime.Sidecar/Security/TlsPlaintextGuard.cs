using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Runtime.Abstractions.Security;

namespace Runtime.Sidecar.Security;

/// <summary>
/// The transport of an accepted plaintext connection, re-checking the inbound mTLS mode whenever the client sends
/// more bytes: a keep-alive HTTP/1.1 connection (or an h2c connection opening a new stream) that was accepted under
/// PERMISSIVE or DISABLE must not keep being served once a PeerAuthentication push made the port STRICT. The bytes
/// that arrive after the switch are not handed to the HTTP parser: the connection is closed instead. TLS
/// connections never get this guard, so they are unaffected.
/// </summary>
/// <param name="transport">The connection's plaintext transport.</param>
/// <param name="mode">The mode in force now (read per arrival: a config push swaps it).</param>
/// <param name="refuse">Closes the connection, given the policy that made the port STRICT.</param>
internal sealed class TlsPlaintextGuard(IDuplexPipe transport, Func<PeerAuthenticationPolicy> mode, Action<PeerAuthenticationPolicy> refuse) : IDuplexPipe
{
    private readonly GuardedReader _input = new(transport.Input, mode, refuse);

    /// <inheritdoc />
    public PipeReader Input => _input;

    /// <inheritdoc />
    public PipeWriter Output => transport.Output;

    private sealed class GuardedReader(PipeReader inner, Func<PeerAuthenticationPolicy> mode, Action<PeerAuthenticationPolicy> refuse) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) =>
            Checked(await inner.ReadAsync(cancellationToken).ConfigureAwait(false));

        public override bool TryRead(out ReadResult result)
        {
            if (!inner.TryRead(out result))
            {
                return false;
            }

            result = Checked(result);
            return true;
        }

        private ReadResult Checked(ReadResult result)
        {
            if (result.Buffer.IsEmpty || mode() is not { Mode: MutualTlsMode.Strict } strict)
            {
                return result;
            }

            // Hand nothing to the HTTP parser: put the bytes back, close, and end this connection's processing.
            inner.AdvanceTo(result.Buffer.Start);
            refuse(strict);
            throw new ConnectionAbortedException($"plaintext refused: mTLS became STRICT ({strict.Source})");
        }
    }
}

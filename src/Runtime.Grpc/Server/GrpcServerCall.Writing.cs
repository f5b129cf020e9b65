using Google.Protobuf;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Server;

internal sealed partial class GrpcServerCall
{
    private int _writing;
    private bool _messageWritten;
    private bool _completed;

    /// <summary>Writes one length-prefixed message; with <paramref name="flush"/> it leaves as its own frame now.</summary>
    public async Task WriteMessageAsync(IMessage message, bool flush, CancellationToken cancellationToken)
    {
        if (_completed)
        {
            throw new InvalidOperationException($"The call {Method} has completed; no more messages can be written.");
        }

        if (Interlocked.Exchange(ref _writing, 1) == 1)
        {
            throw new InvalidOperationException($"A message of {Method} is already being written; await each WriteAsync before the next.");
        }

        try
        {
            using var linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken, cancellationToken)
                : null;
            var token = linked?.Token ?? Context.CancellationToken;
            token.ThrowIfCancellationRequested();

            var size = message.CalculateSize();
            if (_options.MaxSendMessageSize is { } limit && size > limit)
            {
                throw GrpcFrame.MessageTooLarge(size, limit, "Response");
            }

            var writer = _httpContext.Response.BodyWriter;
            GrpcFrame.WriteHeader(writer.GetSpan(GrpcFrame.HeaderSize), size);
            writer.Advance(GrpcFrame.HeaderSize);
            message.WriteTo(writer);
            _messageWritten = true;
            if (flush)
            {
                var result = await writer.FlushAsync(token).ConfigureAwait(false);
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException(token);
                }
            }
        }
        catch (IOException ex) when (ex is not GrpcStreamAbortedException)
        {
            throw new GrpcStreamAbortedException($"The response stream of {Method} was aborted.", ex);
        }
        finally
        {
            Volatile.Write(ref _writing, 0);
        }
    }
}

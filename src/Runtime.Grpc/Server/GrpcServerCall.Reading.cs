using System.Buffers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Server;

internal sealed partial class GrpcServerCall
{
    /// <summary>Reads the one request message of a unary or server-streaming call.</summary>
    public async Task<T> ReadSingleRequestAsync<T>(MessageParser<T> parser)
        where T : class, IMessage<T>
    {
        var token = Context.CancellationToken;
        var request = await ReadMessageAsync(parser, token).ConfigureAwait(false)
            ?? throw new GrpcException(GrpcStatusCode.Internal, "The request ended without a message.");
        if (await ReadMessageAsync(parser, token).ConfigureAwait(false) is not null)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "The request carried more than one message for a method that takes one.");
        }

        return request;
    }

    /// <summary>Reads request messages as they arrive until the client half-closes.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync<T>(MessageParser<T> parser, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(Context.CancellationToken, cancellationToken);
        while (await ReadMessageAsync(parser, linked.Token).ConfigureAwait(false) is { } message)
        {
            yield return message;
        }
    }

    /// <summary>Reads the next length-prefixed message; null at the end of the request body.</summary>
    public async ValueTask<T?> ReadMessageAsync<T>(MessageParser<T> parser, CancellationToken cancellationToken)
        where T : class, IMessage<T>
    {
        var reader = _httpContext.Request.BodyReader;
        while (true)
        {
            System.IO.Pipelines.ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new GrpcStreamAbortedException($"The request stream of {Method} was aborted.", ex);
            }

            var buffer = result.Buffer;
            var consumed = buffer.Start;
            var examined = buffer.End;
            try
            {
                if (result.IsCanceled)
                {
                    throw new OperationCanceledException("Reading the request was cancelled.");
                }

                if (TryReadFrame(buffer, out var compressed, out var payload))
                {
                    consumed = examined = payload.End;
                    return Parse(parser, payload, compressed);
                }

                if (result.IsCompleted)
                {
                    return buffer.IsEmpty
                        ? null
                        : throw new GrpcException(GrpcStatusCode.Internal, "The request ended inside a message frame.");
                }
            }
            finally
            {
                Advance(reader, consumed, examined);
            }
        }
    }

    private void Advance(System.IO.Pipelines.PipeReader reader, SequencePosition consumed, SequencePosition examined)
    {
        try
        {
            reader.AdvanceTo(consumed, examined);
        }
        catch (IOException ex)
        {
            throw new GrpcStreamAbortedException($"The request stream of {Method} was aborted.", ex);
        }
    }

    private bool TryReadFrame(ReadOnlySequence<byte> buffer, out bool compressed, out ReadOnlySequence<byte> payload)
    {
        compressed = false;
        payload = default;
        if (buffer.Length < GrpcFrame.HeaderSize)
        {
            return false;
        }

        (compressed, var length) = GrpcFrame.ReadHeader(buffer);
        if (length > (uint)_options.MaxReceiveMessageSize)
        {
            throw GrpcFrame.MessageTooLarge(length, _options.MaxReceiveMessageSize, "Request");
        }

        if (buffer.Length < GrpcFrame.HeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcFrame.HeaderSize, length);
        return true;
    }

    private T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload, bool compressed)
        where T : class, IMessage<T>
    {
        try
        {
            if (!compressed)
            {
                return parser.ParseFrom(payload);
            }

            var encoding = _httpContext.Request.Headers[GrpcProtocol.EncodingHeader].ToString();
            if (encoding.Length == 0 || string.Equals(encoding, GrpcProtocol.IdentityEncoding, StringComparison.OrdinalIgnoreCase))
            {
                // A protocol violation, not an unsupported algorithm: the spec answers INTERNAL.
                var name = encoding.Length == 0 ? "no grpc-encoding header" : $"grpc-encoding {encoding}";
                throw new GrpcException(
                    GrpcStatusCode.Internal,
                    $"The request message has the compressed flag set but the request has {name}.");
            }

            if (!GrpcMessageCompression.IsSupported(encoding))
            {
                // grpc-accept-encoding (set on every response) tells the client what to use instead.
                throw new GrpcException(
                    GrpcStatusCode.Unimplemented,
                    $"Message compressed with {encoding} is not supported; supported encodings: {GrpcProtocol.SupportedEncodings}.");
            }

            return parser.ParseFrom(GrpcMessageCompression.Decompress(payload.ToArray(), _options.MaxReceiveMessageSize, "Request"));
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcException(GrpcStatusCode.Internal, "The request message could not be parsed.", [], ex);
        }
    }
}

using Runtime.Grpc.Protocol;

namespace Runtime.Grpc.Server;

/// <summary>Limits of the gRPC server transport. Configure with <c>AddGrpcTransport(options => ...)</c>.</summary>
public sealed class GrpcServerOptions
{
    private int _maxReceiveMessageSize = GrpcProtocol.DefaultMaxReceiveMessageSize;
    private int? _maxSendMessageSize;

    /// <summary>
    /// Largest request message accepted, in bytes (after decompression). Bigger messages are answered
    /// with RESOURCE_EXHAUSTED. Default 4 MiB; must be greater than zero.
    /// </summary>
    public int MaxReceiveMessageSize
    {
        get => _maxReceiveMessageSize;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            _maxReceiveMessageSize = value;
        }
    }

    /// <summary>
    /// Largest response message the server sends, in bytes; a handler producing a bigger one fails
    /// the call with RESOURCE_EXHAUSTED. Default <see langword="null"/> (no limit); must be greater than zero.
    /// </summary>
    public int? MaxSendMessageSize
    {
        get => _maxSendMessageSize;
        set
        {
            if (value is { } size)
            {
                ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
            }

            _maxSendMessageSize = value;
        }
    }
}

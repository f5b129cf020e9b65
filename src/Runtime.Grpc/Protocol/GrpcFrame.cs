using System.Buffers;
using System.Buffers.Binary;

namespace Runtime.Grpc.Protocol;

/// <summary>The 5-byte length prefix of a gRPC message: compressed flag + big-endian length.</summary>
internal static class GrpcFrame
{
    public const int HeaderSize = 5;

    public static void WriteHeader(Span<byte> destination, int length, bool compressed = false)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    /// <summary>Reads a header; the length is unsigned on the wire and may exceed <see cref="int.MaxValue"/>.</summary>
    public static (bool Compressed, uint Length) ReadHeader(ReadOnlySpan<byte> header)
    {
        if (header[0] > 1)
        {
            throw new GrpcException(GrpcStatusCode.Internal, $"Invalid compressed flag {header[0]} in a message frame.");
        }

        return (header[0] == 1, BinaryPrimitives.ReadUInt32BigEndian(header[1..]));
    }

    public static (bool Compressed, uint Length) ReadHeader(ReadOnlySequence<byte> buffer)
    {
        Span<byte> header = stackalloc byte[HeaderSize];
        buffer.Slice(0, HeaderSize).CopyTo(header);
        return ReadHeader(header);
    }

    public static GrpcException MessageTooLarge(long length, int limit, string direction) =>
        new(GrpcStatusCode.ResourceExhausted, $"{direction} message of {length} bytes exceeds the limit of {limit} bytes.");
}

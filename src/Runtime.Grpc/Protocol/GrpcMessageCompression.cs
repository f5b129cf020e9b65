using System.IO.Compression;

namespace Runtime.Grpc.Protocol;

/// <summary>Decompresses messages sent with the compressed flag set (only gzip is supported).</summary>
internal static class GrpcMessageCompression
{
    public static bool IsSupported(string? encoding) =>
        string.Equals(encoding, GrpcProtocol.GzipEncoding, StringComparison.OrdinalIgnoreCase);

    /// <summary>Inflates a gzip payload, failing with RESOURCE_EXHAUSTED once it exceeds <paramref name="maxSize"/>.</summary>
    public static byte[] Decompress(ReadOnlyMemory<byte> compressed, int maxSize, string direction)
    {
        using var input = new MemoryStream(compressed.ToArray(), writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = gzip.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > maxSize)
            {
                throw GrpcFrame.MessageTooLarge(output.Length + read, maxSize, direction);
            }

            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }
}
